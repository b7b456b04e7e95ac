// The edge's end of replication (SPEC §4): a CURVE DEALER (edge/central_link.h) that streams this
// database's events,
// (store, incarnation) from the seq after central's acknowledged one, in batches of contiguous
// events with a window of several in flight. Cumulative acks from central move the position;
// a silent central (ack timeout), a gap or a reconnection rewinds to the acknowledged seq and
// resends — central skips what it already has, so resending is always safe. Heartbeats carry the
// backlog, in events and money, its age, the disk, the clock and the silent sources (edge/
// source_health.h). Ingest never waits for it: the
// replicator reads through its own read-only connection.
//
// A stream never goes backwards silently (SPEC §4): after a welcome the replicator resends the
// last events central acknowledged, so that central checks their ids against what it stored. If
// central acknowledged more than this database holds, or the ids differ ("diverged"), the
// database lost commits (a restored backup, a torn WAL, a power cut with durability=normal): the
// replicator asks the writer for a new incarnation and streams the whole database again under
// it; central counts only the ids it does not have yet.
//
// Retention: events pruned from the database (edge/event_pruning.h) are a prefix of the seqs. A
// batch to start at a pruned seq starts at the first event kept and says which seqs it skipped
// (pruned_to), so the tail check and a new incarnation work over a pruned history.
//
// Several centrals (issue 10): the replicator talks to one at a time and fails over to the next
// when it is down or refuses (edge/replicator_link.cc, edge/central_rotation.h); the stream resumes
// from the new central's welcome. A welcome below what central had acknowledged (central restored
// from an older backup, a database failover, a new empty database) re-sends from central's
// position; it is logged once and counted (PROTOCOL.md, "Central behind what it acknowledged").
//
// Owns one thread. Start/Stop from one thread; Status() from any.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/protocol/messages.h"
#include "common/status.h"
#include "common/time_util.h"
#include "common/transport/curve_keys.h"
#include "edge/central_endpoints.h"

namespace storepulse::edge {

struct ReplicatorOptions {
  // The centrals, in the order tried, each with its CURVE public key as Z85 text (not a path).
  // One: ZeroMQ reconnects to it for ever. Several: one at a time, the next when it fails.
  std::vector<CentralEndpoint> centrals;
  common::CurveKeyPair keys;       // this edge's pair
  std::string data_dir;            // the edge database to read
  std::string store;
  std::string incarnation;
  size_t batch_events = 2000;          // at most this many events a batch…
  size_t batch_bytes = 1 << 20;        // …and about this many bytes
  size_t window = 8;                   // batches in flight
  int64_t heartbeat_ms = 5000;
  int64_t ack_timeout_ms = 10'000;     // no ack for this long: resend from the acked seq
  int64_t hello_retry_max_ms = 30'000; // hello backoff cap while central does not answer
  int64_t refused_retry_ms = 5000;      // reconnect this long after central refused our key
  int64_t handshake_timeout_ms = 10'000;  // a CURVE handshake not done by then: central is stuck
  int64_t verify_events = 100;          // acknowledged events resent after a welcome, to check
  // With several centrals only: leave a central that has not welcomed this edge this long after
  // the connection was started…
  int64_t welcome_timeout_ms = 15'000;
  // …or that kept answering `retry`, or letting acks time out, for this long without an ack (one
  // failed group commit answers several batches `retry` at once: that alone is no reason).
  int64_t stall_failover_ms = 10'000;
  // The tills and counters silent right now, asked at each heartbeat (on the replicator's
  // thread); none: nothing to report.
  std::function<std::vector<common::wire::SilentSource>()> silent_sources;
};

// What the edge itself knows and puts in heartbeats.
struct EdgeVitals {
  int64_t last_seq = 0;
  int64_t disk_free_bytes = 0;
  bool disk_accepting = true;
};

// The stream's state as numbers, for /metrics (Status() says the same for people).
struct ReplicationState {
  bool connected = false;        // a link to a central is up
  bool streaming = false;        // central welcomed this edge: events flow
  int64_t acked_seq = 0;         // the last seq central acknowledged
  int64_t backlog_events = 0;    // stored here, not acknowledged by central
  int64_t backlog_value = 0;     // their gross sales value, minor units
  int64_t oldest_unsent_ms = 0;  // when the oldest of them was stored; 0 when none
  int64_t last_ack_ms = 0;       // the last acknowledgement; 0 when none since the start
  int64_t failovers = 0;         // moves to another central since the start
  int64_t stream_restarts = 0;   // new incarnations since the start
};

class Replicator {
 public:
  // `new_incarnation(reason)` makes the database start a new stream and returns its id.
  using NewIncarnation = std::function<common::StatusOr<std::string>(const std::string& reason)>;
  // `clock` gives instants (the heartbeat's clock, ack times shown); `ticks` times every
  // interval (timeouts, heartbeats, back-offs), so that a step of the wall clock stalls nothing:
  // a MonotonicClock in the daemon.
  Replicator(ReplicatorOptions options, std::function<EdgeVitals()> vitals,
             NewIncarnation new_incarnation, const common::Clock& clock,
             const common::Clock& ticks);
  ~Replicator();
  Replicator(const Replicator&) = delete;
  Replicator& operator=(const Replicator&) = delete;

  common::Status Start();
  void Stop();
  // {"configured":true, "central":…, "centrals":[…], "failovers":…, "connected":…,
  //  "acked_seq":…, "backlog_events":…, "central_behind":…, "last_error":…, …}
  nlohmann::json Status() const;
  ReplicationState State() const;  // thread-safe
  // The highest seq central acknowledged in this session once it checked the resent tail (0
  // before that, and after a disconnection or a new stream): what retention may prune up to.
  // A welcome's acked_seq alone is not enough: a database that lost commits may hold other
  // events at those seqs, and only the tail check tells. Thread-safe.
  int64_t ConfirmedSeq() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
};

}  // namespace storepulse::edge
