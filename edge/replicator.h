// The edge's end of replication (SPEC §4): the thread that runs a ReplicationSession (edge/
// replication_session.h: the protocol, as a state machine — window, acks, rewinds, the tail check,
// new incarnations, central behind, failing over between several centrals) over a CURVE DEALER
// (edge/central_link.h) and this database. The replicator is the session's adapter: it owns the
// link and a read-only SQLite connection (ingest never waits for replication), feeds the session
// the link's events and frames and the time, and publishes the session's status to other threads.
// It is also the adapter of the downlink (docs/PROTOCOL.md, "Reference documents"): the parts of
// reference documents go to a DocumentReceiver (edge/document_receiver.h), whose whole documents
// are stored through the edge's writer (write_reference) and acknowledged; and the HTTP workers'
// network stock requests (AskNetworkStock) go to central and wait for its answer.
//
// Owns one thread. Start/Stop from one thread; Status() from any.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "common/protocol/messages.h"
#include "common/status.h"
#include "common/time_util.h"
#include "common/transport/curve_keys.h"
#include "edge/document_receiver.h"
#include "edge/replication_session.h"

namespace SQLite {
class Database;
}

namespace storepulse::edge {

class DayCertifier;

struct ReplicatorOptions {
  // The protocol: the centrals (each with its CURVE public key as Z85 text, not a path), the
  // store, the incarnation, the window, the timeouts.
  ReplicationSessionOptions session;
  common::CurveKeyPair keys;  // this edge's pair
  std::string data_dir;       // the edge database to read
  // The tills and counters silent right now, asked at each heartbeat (on the replicator's
  // thread); none: nothing to report.
  std::function<std::vector<common::wire::SilentSource>()> silent_sources;
  // The day sign-off (edge/day_certifier.h), driven from the replicator's thread; not owned;
  // null: this edge certifies no day.
  DayCertifier* day_certifier = nullptr;
  // Writes to the edge database on its writer (GroupCommitWriter::WriteReference): the reference
  // documents central sends (edge/document_receiver.h). Empty: this edge takes none (its
  // heartbeat says nothing of documents).
  std::function<common::Status(std::function<common::Status(SQLite::Database&)>)> write_reference;
  DocumentLimits document_limits;
  // How long GET /api/v1/stock?network=1 waits for central's answer.
  int64_t stock_timeout_ms = 4000;
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
  // The reference documents held: {"held":[{"kind","version","received_at","age_s"}…],
  // "stored","refused","restarts","last_refusal","last_refusal_at"}. Thread-safe.
  nlohmann::json DocumentsJson(int64_t now_ms) const;
  // kind → (version, received_ms) of the documents held, for /metrics. Thread-safe.
  std::map<std::string, std::pair<std::string, int64_t>> HeldDocuments() const;
  // Central's GET /api/v1/stock?sku= asked over the replication connection; Unavailable with the
  // reason when not connected, when central does not answer stock requests (an older central),
  // or no answer came within options.stock_timeout_ms; InvalidArgument for a SKU central refuses.
  // Any thread (HTTP workers); blocks up to the timeout.
  common::StatusOr<nlohmann::json> AskNetworkStock(const std::string& sku) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
};

}  // namespace storepulse::edge
