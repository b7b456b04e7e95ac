// Which of several centrals the replication session (edge/replication_session.h) talks to (issue
// 10): one at a time, round-robin in the configured order (edge/central_endpoints.h). The session
// reports the end of each attempt that failed — the central was down (no TCP connection, no
// handshake or welcome in time, the connection dropped) or refused — and each sign of progress
// (central acknowledged new events).
// A failed attempt moves to the next central at once, until every central of the list has failed
// in turn (a round); the attempt after a round waits a back-off that doubles from
// `first_backoff_ms` up to `max_backoff_ms`, so that a chain whose centrals are all down is not
// hammered. Progress ends the round and resets the back-off.
//
// Pure logic on times given by the caller (no I/O, no clock). Plain value; one thread.
#pragma once

#include <cstddef>
#include <cstdint>

namespace storepulse::edge {

struct CentralRotationOptions {
  int64_t first_backoff_ms = 500;   // the wait after the first round that failed whole…
  int64_t max_backoff_ms = 30'000;  // …doubled after each further one, up to this
};

class CentralRotation {
 public:
  // REQUIRES: count ≥ 1.
  CentralRotation(size_t count, CentralRotationOptions options);

  size_t current() const { return current_; }
  // Failed attempts since the daemon started: the moves from one central to the next.
  int64_t failovers() const { return failovers_; }
  // Failed attempts since the last progress (1 right after the first).
  int64_t failures_since_progress() const { return failures_since_progress_; }

  // The attempt at the current central failed: moves to the next one and returns when to
  // connect to it (`now_ms`, or later after a round that failed whole).
  int64_t FailOver(int64_t now_ms);
  // Central acknowledged new events: the next failure starts a new round, without back-off.
  void Progressed();

 private:
  const size_t count_;
  const CentralRotationOptions options_;
  size_t current_ = 0;
  int64_t failovers_ = 0;
  int64_t failures_since_progress_ = 0;
  size_t failed_in_round_ = 0;
  int64_t backoff_ms_;
};

}  // namespace storepulse::edge
