// The edge's replication protocol as a state machine (SPEC §4, docs/PROTOCOL.md). It streams this
// database's events, (store, incarnation) from the seq after central's acknowledged one, in
// batches of contiguous events with a window of several in flight. Cumulative acks move the
// position; a silent central (ack timeout), a gap, a `retry` or a reconnection rewinds to the
// acknowledged seq and resends — central skips what it already has, so resending is always safe.
// Heartbeats carry the backlog, in events and money, its age, the disk, the clock and the silent
// sources.
//
// A stream never goes backwards silently: after a welcome the session resends the last events
// central acknowledged, so that central checks their ids against what it stored. If central
// acknowledged more than this database holds, or the ids differ ("diverged"), the database lost
// commits (a restored backup, a torn WAL, a power cut with durability=normal): the session asks
// for a new incarnation and streams the whole database again under it. A welcome (or a gap) below
// what central had acknowledged is central behind (restored, failed over): the session re-sends
// from central's position, logs it once and counts it. Retention pruned a prefix of the seqs: a
// batch to start at a pruned seq starts at the first event kept and says so (pruned_to).
// Several centrals: one at a time, the next when one is down or refuses (edge/central_rotation.h).
//
// No socket, no database, no clock: the session is fed what the link reports (connection events,
// frames from central) and the time, and acts through a SessionEnv, which edge/replicator.cc
// implements with ZeroMQ (edge/central_link.h) and SQLite, and tests with memory.
// Dispatch: OnMessage branches on the type of each message from central (welcome, ack, error,
// heartbeat), OnLinkEvent on the kind of connection event; Step is the periodic part (the link,
// hello, ack timeouts, the window, heartbeats). A new message type plugs in there.
//
// The stream and its tail check are in replication_session.cc, the link to the current central
// and failing over in replication_session_link.cc. Not thread-safe: one thread (the replicator's)
// calls everything; the replicator publishes status() to other threads.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/protocol/messages.h"
#include "common/status.h"
#include "edge/central_endpoints.h"
#include "edge/central_link.h"
#include "edge/central_rotation.h"
#include "edge/event_store.h"

namespace storepulse::edge {

struct ReplicationSessionOptions {
  // The centrals, in the order tried. One: ZeroMQ reconnects to it for ever. Several: one at a
  // time, the next when it fails.
  std::vector<CentralEndpoint> centrals;
  std::string store;
  std::string incarnation;             // the stream at the start; changes when it restarts
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
};

// What the edge itself knows and puts in heartbeats.
struct EdgeVitals {
  int64_t last_seq = 0;
  int64_t disk_free_bytes = 0;
  bool disk_accepting = true;
};

// The last time central was found behind what it had acknowledged to this edge.
struct CentralBehind {
  int64_t at_ms = 0;         // 0: never
  std::string central;       // its endpoint
  int64_t central_seq = 0;   // the position it gave
  int64_t acked_before = 0;  // the seq it had acknowledged
  int64_t resent = 0;        // events after central_seq this edge still held, sent again
  int64_t pruned = 0;        // events after central_seq retention had pruned: lost to central
};

// What the connection looks like from this side; shown in /api/v1/status and /metrics.
struct SessionStatus {
  std::string central;  // the endpoint of the central in use (or being connected to)
  bool connected = false;
  bool welcomed = false;
  int64_t acked_seq = 0;
  Backlog backlog;
  std::string last_error;
  int64_t last_ack_ms = 0;
  int64_t central_clock_offset_ms = 0;  // central clock − ours, from central's heartbeats
  int64_t refusals = 0;
  int64_t stream_restarts = 0;  // new incarnations since the daemon started
  int64_t failovers = 0;        // moves from one central to the next since the daemon started
  int64_t central_behind = 0;   // times central was found behind what it acknowledged
  CentralBehind last_behind;
  // What the welcoming central advertised (false when not welcomed): it sends reference
  // documents, it answers stock requests.
  bool central_documents = false;
  bool central_network_stock = false;
};

// Everything the session does outside itself. Called on the session's thread only.
class SessionEnv {
 public:
  virtual ~SessionEnv() = default;
  // The wall clock, for the instants the session reports (its heartbeat's clock, the last ack,
  // central's clock offset). The `now` given to every session call is a monotonic clock: it
  // times intervals only, so that a step of the wall clock stalls nothing.
  virtual int64_t WallClockMs() = 0;
  // The database.
  virtual EdgeVitals Vitals() = 0;
  // Up to max_events stored bodies from first_seq on (about max_bytes); the first seq read, which
  // is above first_seq when retention pruned first_seq (edge/event_store.h, ReadBodies).
  virtual common::StatusOr<int64_t> ReadBodies(int64_t first_seq, size_t max_events,
                                               size_t max_bytes,
                                               std::vector<std::string>* bodies) = 0;
  virtual common::StatusOr<Backlog> ReadBacklog(int64_t acked_seq) = 0;
  // Makes the database start a new stream; returns its incarnation.
  virtual common::StatusOr<std::string> NewIncarnation(const std::string& reason) = 0;
  virtual std::vector<common::wire::SilentSource> SilentSources() = 0;
  // kind → version of the reference documents held, for the heartbeat to a central that sends
  // them; nothing: this edge takes no document (the heartbeat then has no `documents`).
  virtual std::optional<std::map<std::string, std::string>> HeldDocuments() { return std::nullopt; }
  // The link: at most one open at a time. `handshake_limit_ms`: how long its CURVE handshake may
  // take (ZeroMQ reads it when the socket is made).
  virtual common::Status OpenLink(const CentralEndpoint& central, int64_t handshake_limit_ms) = 0;
  virtual void CloseLink() = 0;
  virtual void Reconnect() = 0;  // ZeroMQ does not retry a refused handshake by itself
  // False when nothing was queued (not connected right now, or the queue is full).
  virtual bool Send(const common::wire::Message& message) = 0;
};

class ReplicationSession {
 public:
  // `env` must outlive the session.
  ReplicationSession(ReplicationSessionOptions options, SessionEnv& env);
  ReplicationSession(const ReplicationSession&) = delete;
  ReplicationSession& operator=(const ReplicationSession&) = delete;

  // Opens the link to the first central. InvalidArgument without a central.
  common::Status Start(int64_t now);
  // What the link reported, in order; then the messages it received (decoded by the adapter,
  // which reports an unreadable one through ReportError).
  void OnLinkEvent(const LinkEvent& event, int64_t now);
  void OnMessage(const common::wire::Message& message, int64_t now);
  // The periodic part: call it often (every 20 ms or so) and after each round of the above.
  void Step(int64_t now);
  // An error outside the protocol (the adapter's), shown like the session's own.
  void ReportError(const std::string& error);

  const SessionStatus& status() const { return status_; }
  // The highest seq central acknowledged in this session once it checked the resent tail (0
  // before that, and after a disconnection or a new stream): what retention may prune up to.
  int64_t confirmed_seq() const { return confirmed_; }
  const std::string& incarnation() const { return options_.incarnation; }
  bool link_open() const { return link_open_; }

 private:
  struct InFlight {
    int64_t first_seq;
    int64_t last_seq;
    int64_t sent_ms;
  };

  // The stream (replication_session.cc).
  void SendHello(int64_t now);
  void FillWindow(int64_t now);
  void SendHeartbeat(int64_t now);
  void OnAck(const common::wire::Ack& ack, int64_t now);
  void OnError(const common::wire::Error& error, int64_t now);
  void OnWelcome(const common::wire::Welcome& welcome, int64_t now);
  void StartNewStream(const std::string& reason, int64_t now);
  void CentralWentBack(int64_t central_seq);
  void Rewind(int64_t acked);
  void SetError(const std::string& error);

  // The link (replication_session_link.cc).
  bool several() const { return options_.centrals.size() > 1; }
  const std::string& endpoint() const { return options_.centrals[rotation_.current()].endpoint; }
  // Opens the link to the current central; on failure sets the error and, with several
  // centrals, asks to fail over.
  common::Status OpenLink(int64_t now);
  // Fails over when asked, opens the next link when due, gives up on a central that does not
  // welcome in time. False while there is no link.
  bool StepLink(int64_t now);
  // With several centrals: leave the current one at the next step (the first reason wins).
  void LeaveCentral(const std::string& why);
  // A `retry` answer or an ack timeout: when they have gone on for stall_failover_ms without an
  // ack, leave.
  void Stalled(const std::string& what, int64_t now);
  void FailOver(int64_t now);
  // The current central works (it acknowledged new events, or holds them all): a failure after
  // this starts a new round of the rotation, without back-off.
  void CentralWorks();
  void EndSession();  // the connection is gone: nothing in flight, nothing confirmed
  // After a whole round of centrals failed, further diagnoses go to the status only (not the
  // log) until central acknowledges again: an outage of every central logs one round of lines.
  bool QuietOutage() const;

  ReplicationSessionOptions options_;  // options_.incarnation changes when the stream restarts
  SessionEnv& env_;
  SessionStatus status_;

  CentralRotation rotation_;
  bool link_open_ = false;
  int64_t link_opened_ms_ = 0;    // when the current link started connecting
  int64_t connect_at_ms_ = 0;     // no link: when to open the next one
  std::string failover_reason_;   // not empty: leave the current central at the next step
  int64_t stalled_since_ms_ = 0;  // the first `retry` or ack timeout since the last ack; 0: none
  bool connected_ = false;
  bool welcomed_ = false;
  // The last position central gave this stream (acks, welcomes, gap answers), kept across
  // reconnections and failovers: what central is known to hold.
  int64_t acked_ = 0;
  int64_t next_send_ = 1;
  std::deque<InFlight> in_flight_;
  // After a `retry` answer (central cannot store: its disk is full), nothing is sent before
  // resend_at_ms_; the pause doubles from 500 ms to 5 s while central keeps answering retry and
  // is back to none at the next ack that moves.
  int64_t resend_at_ms_ = 0;
  int64_t retry_pause_ms_ = 0;
  int64_t next_hello_ms_ = 0;
  int64_t hello_backoff_ms_ = 500;
  int64_t last_heartbeat_ms_ = 0;
  int64_t reconnect_at_ms_ = 0;   // after a refused handshake, which ZeroMQ does not retry itself
  int64_t tcp_connected_ms_ = 0;  // when the TCP connection of the handshake under way came up
  // The CURVE handshake's time limit for the next link: doubled after each handshake that ran out
  // of time, up to 160 s, since over a link with a round trip of seconds the handshake's four
  // round trips take longer than the first limit — which then failed every attempt for ever
  // (issue 13's 2 s latency scenario). Kept once it worked: it is what this link needs.
  int64_t handshake_limit_ms_;
  bool reopen_link_ = false;  // the limit grew: the link is opened again with it
  // After a welcome, the first seq of the acknowledged tail central has not checked yet (0: all
  // checked), up to verify_to_, the welcome's acked seq. Until central acks the whole tail, one
  // batch at a time is in flight and every rewind goes back to verify_from_.
  int64_t verify_from_ = 0;
  int64_t verify_to_ = 0;
  int64_t confirmed_ = 0;
};

}  // namespace storepulse::edge
