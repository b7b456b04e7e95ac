// The replicator's inside (edge/replicator.h), shared by its two halves: the stream
// (replicator.cc: hello, batches, acks, the tail check, new incarnations, central behind) and the
// link (replicator_link.cc: the connection to the current central, its events, and failing over
// to the next of several). Private to those files.
//
// Everything but `mu`, `shared`, `confirmed` and `stopping` belongs to the replicator's thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "common/protocol/messages.h"
#include "edge/central_link.h"
#include "edge/central_rotation.h"
#include "edge/event_store.h"
#include "edge/replicator.h"

namespace SQLite {
class Database;
}

namespace storepulse::edge {

struct InFlight {
  int64_t first_seq;
  int64_t last_seq;
  int64_t sent_ms;
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

// What the connection looks like from this side; shown in /api/v1/status.
struct Shared {
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
};

struct Replicator::Impl {
  Impl(ReplicatorOptions o, std::function<EdgeVitals()> v, NewIncarnation n,
       const common::Clock& c, const common::Clock& t);

  // The stream (replicator.cc).
  common::Status Connect();
  void Run();
  void Step(int64_t now);
  void SendHello(int64_t now);
  void FillWindow(int64_t now);
  void SendHeartbeat(int64_t now);
  bool Send(const common::wire::Message& message);
  void Receive(int64_t now);
  void Handle(const common::wire::Message& message, int64_t now);
  void OnAck(const common::wire::Ack& ack, int64_t now);
  void OnError(const common::wire::Error& error, int64_t now);
  void OnWelcome(const common::wire::Welcome& welcome, int64_t now);
  void StartNewStream(const std::string& reason, int64_t now);
  void CentralWentBack(int64_t central_seq, int64_t now);
  void Rewind(int64_t acked);
  void SetError(const std::string& error);

  // The link (replicator_link.cc).
  bool several() const { return options.centrals.size() > 1; }
  const std::string& endpoint() const { return options.centrals[rotation.current()].endpoint; }
  // Opens the link to the current central; on failure sets the error and, with several
  // centrals, asks to fail over.
  common::Status OpenLink(int64_t now);
  // Fails over when asked, opens the next link when due, gives up on a central that does not
  // welcome in time. False while there is no link.
  bool StepLink(int64_t now);
  void OnLinkEvent(const LinkEvent& event, int64_t now);
  // With several centrals: leave the current one at the next step (the first reason wins).
  void LeaveCentral(const std::string& why);
  // A `retry` answer or an ack timeout: when they have gone on for options.stall_failover_ms
  // without an ack, leave.
  void Stalled(const std::string& what, int64_t now);
  void FailOver(int64_t now);
  // The current central works (it acknowledged new events, or holds them all): a failure after
  // this starts a new round of the rotation, without back-off.
  void CentralWorks();
  void EndSession();  // the connection is gone: nothing in flight, nothing confirmed
  // After a whole round of centrals failed, further diagnoses go to the status only (not the
  // log) until central acknowledges again: an outage of every central logs one round of lines.
  bool QuietOutage() const;

  ReplicatorOptions options;  // options.incarnation changes when the stream restarts
  std::function<EdgeVitals()> vitals;
  NewIncarnation new_incarnation;
  const common::Clock& clock;  // instants: the heartbeat's clock, times shown in the status
  const common::Clock& ticks;  // the `now` of every step: intervals only (monotonic)
  std::unique_ptr<CentralLink> link;  // null between two centrals
  std::unique_ptr<SQLite::Database> db;
  std::atomic<bool> stopping{false};

  // Replication state, this thread only.
  CentralRotation rotation;
  int64_t link_opened_ms = 0;    // when the current link started connecting
  int64_t connect_at_ms = 0;     // no link: when to open the next one
  std::string failover_reason;   // not empty: leave the current central at the next step
  int64_t stalled_since_ms = 0;  // the first `retry` or ack timeout since the last ack; 0: none
  bool connected = false;
  bool welcomed = false;
  // The last position central gave this stream (acks, welcomes, gap answers), kept across
  // reconnections and failovers: what central is known to hold.
  int64_t acked = 0;
  int64_t next_send = 1;
  std::deque<InFlight> in_flight;
  // After a `retry` answer (central cannot store: its disk is full), nothing is sent before
  // resend_at_ms; the pause doubles from 500 ms to 5 s while central keeps answering retry and is
  // back to none at the next ack that moves.
  int64_t resend_at_ms = 0;
  int64_t retry_pause_ms = 0;
  int64_t next_hello_ms = 0;
  int64_t hello_backoff_ms = 500;
  int64_t last_heartbeat_ms = 0;
  int64_t reconnect_at_ms = 0;   // after a refused handshake, which ZeroMQ does not retry itself
  int64_t tcp_connected_ms = 0;  // when the TCP connection of the handshake under way came up
  // After a welcome, the first seq of the acknowledged tail central has not checked yet (0: all
  // checked), up to verify_to, the welcome's acked seq. Until central acks the whole tail, one
  // batch at a time is in flight and every rewind goes back to verify_from.
  int64_t verify_from = 0;
  int64_t verify_to = 0;
  std::atomic<int64_t> confirmed{0};  // ConfirmedSeq(); written on this thread only

  mutable std::mutex mu;
  Shared shared;  // guarded by mu
};

}  // namespace storepulse::edge
