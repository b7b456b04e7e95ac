// The edge's half of the day sign-off (docs/OPERATIONS.md, "Day sign-off"; docs/PROTOCOL.md,
// "Day sign-off"). Once a local day of the store is closed — `grace_ms` after the local midnight
// that ends it — and central has acknowledged every event of that day, the certifier sends central
// the day's certificate: its event count, the base measures' totals and the digest of its ids
// (common/kpi/day_figures.h). Central answers: certified; resend (it lacks some of the day: the
// certifier sends the day's events again, central skips the ids it holds, then certifies again);
// or differs (still different after a resend: central raises an alert; the certifier sends
// that day again only once its own figures change).
//
// A late event for a day it certified (or was told differs) re-opens the day: it is certified
// again once central acknowledged the event. Only the last `days` closed days are looked at, and
// a day is sent again only when it re-opens, when central's answer does not come within
// `answer_timeout_ms`, or after a reconnection or a restart (the states live in memory): the work
// is bounded. It sends nothing to a central whose welcome lacks the day_certificates capability
// (an older central).
//
// Driven by the replicator's thread (edge/replicator.cc: OnMessage from its message dispatch, Step
// from its periodic step); Status() from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "common/kpi/day_figures.h"
#include "common/protocol/messages.h"
#include "common/status.h"
#include "common/time_zone.h"

namespace SQLite {
class Database;
}

namespace storepulse::edge {

struct DayCertifierOptions {
  std::string data_dir;  // the edge database, read through a connection of its own
  const common::TimeZone* zone = nullptr;  // the store's; not owned, outlives the certifier
  int64_t grace_ms = 2 * 3600 * 1000;      // a day closes this long after the midnight ending it
  int64_t days = 7;                        // the last closed days certified (yesterday, …)
  int64_t answer_timeout_ms = 60'000;      // no verdict by then: send the certificate again
  int64_t scan_interval_ms = 1000;         // how often new events are looked at
  size_t part_events = 2000;               // a resend's parts: at most this many events…
  size_t part_bytes = 1 << 20;             // …and about this many bytes
};

class DayCertifier {
 public:
  using Send = std::function<bool(const common::wire::Message& message)>;

  explicit DayCertifier(DayCertifierOptions options);
  ~DayCertifier();
  DayCertifier(const DayCertifier&) = delete;
  DayCertifier& operator=(const DayCertifier&) = delete;

  // Every message from central, before the replicator handles it: welcomes (does this central
  // certify days?), verdicts, and the acks and errors of a resend's parts (their incarnation is
  // the resend's tag, which the replicator ignores).
  void OnMessage(const common::wire::Message& message, int64_t now_ms);
  // The periodic step: `welcomed` when central welcomed this edge on the current connection,
  // `acked` the last seq central acknowledged. Sends through `send`.
  void Step(int64_t now_ms, bool welcomed, int64_t acked, const Send& send);

  // {"enabled": central certifies days, "grace_minutes":…, "days":[{"day","state","events",
  //  "certified","detail"}]} — thread-safe.
  nlohmann::json Status() const;

 private:
  enum class State { kDue, kSent, kResend, kResending, kCertified, kDiffers };
  struct Day {
    int64_t first_seq = 0;  // the lowest and highest seqs of its events seen
    int64_t last_seq = 0;
    State state = State::kDue;
    int64_t sent_ms = 0;         // the certificate or the resend went out
    int64_t certified_ms = 0;    // the last "certified" verdict
    common::DayFigures figures;  // as last sent
    std::string tag;             // the resend under way
    int64_t parts_last_seq = 0;  // … its last seq: acked up to it, the resend is applied
    std::string detail;          // central's, for a day that differs
    bool reopened = false;       // a late event came after a verdict
  };

  common::Status Scan(int64_t now_ms);
  common::StatusOr<common::DayFigures> Compute(int64_t day, const Day& state);
  common::Status SendCertificate(int64_t day, Day& state, int64_t now_ms, const Send& send);
  common::Status SendEvents(int64_t day, Day& state, int64_t now_ms, const Send& send);
  bool Closed(int64_t day, int64_t now_ms) const;
  int64_t FirstDay(int64_t now_ms) const;
  static const char* Name(State state);

  DayCertifierOptions options_;
  std::unique_ptr<SQLite::Database> db_;
  int64_t scanned_seq_ = 0;  // events up to this seq were looked at
  int64_t next_scan_ms_ = 0;
  mutable std::mutex mu_;  // guards what Status() reads: the two below
  bool capable_ = false;   // the current central certifies days
  std::map<int64_t, Day> days_;
};

}  // namespace storepulse::edge
