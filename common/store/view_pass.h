// The view pass: the thread that keeps every derived table (per-channel measures, the employee
// and SKU breakdowns, stock, the customer tables — common/store/derived_tables.h) up to date with
// the event log, so that an event's own transaction holds only the event, its dedupe key, its
// sequence number (and at central the stream position).
//
// It folds the events committed past its watermark in large groups: it reads them outside any
// lock, then, in one write transaction, writes each derived row once for the whole group and
// moves the watermark (common/store/event_log.h) in the same transaction. After a crash it resumes
// from the watermark: nothing is folded twice, nothing skipped. Readers stay exact meanwhile by
// folding the events past the watermark themselves (common/store/pending_tail.h).
//
// SQLite has one writer at a time: the pass and the daemon's event writer share `write_gate`, a
// mutex each holds around its write transaction, so neither waits in SQLite's sleeping busy
// handler.
//
// Thread-safe: Committed, Throttle, CatchUp and stats from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "common/store/event_log.h"
#include "common/time_util.h"
#include "common/time_zone.h"

namespace SQLite {
class Database;
}

namespace storepulse::common {

class DerivedTables;

// What the views need to know of a store: its region (central's regional customers) and its zone
// (local days).
struct StoreContext {
  std::string region;
  TimeZone zone;
};
// Central: the store's entry in the stores file; nothing for a store it does not know.
using StoreResolver = std::function<std::optional<StoreContext>(const std::string& store)>;

struct ViewPassOptions {
  // How long committed events may gather before they are folded: larger groups write each derived
  // row fewer times. A reader never waits for it (it folds the pending tail itself).
  int64_t group_ms = 100;
  size_t max_group_events = 20'000;  // one group's bound, in events
  // Above this many committed but unfolded events, the event writer waits (Throttle) up to
  // max_throttle_ms per commit, so the tail each reader folds stays bounded.
  int64_t max_pending_events = 200'000;
  int64_t max_throttle_ms = 2'000;
};

struct ViewPassStats {
  int64_t folded = 0;             // the watermark
  int64_t committed = 0;          // the last position the writer reported
  int64_t groups = 0;             // groups folded since start
  int64_t events = 0;             // events folded since start
  int64_t unfolded_events = 0;    // events left out of the views: a total would leave int64
  int64_t last_lag_ms = 0;        // commit → fold of the oldest event of the last group
  std::vector<int64_t> recent_lags_ms;  // the last groups' lags, oldest first (at most 1,024)
  std::string last_error;         // empty while the pass works
};

// {"folded": …, "pending_events": …, "lag_ms": …, "unfolded_events": …, "last_error": …|null},
// the views' part of a daemon's status.
nlohmann::json ViewPassJson(const ViewPassStats& stats);
// The same as Prometheus gauges named <prefix>views_*; nothing for a null `views`.
std::string ViewPassMetrics(const nlohmann::json& views, const std::string& prefix);

class ViewPass {
 public:
  // `db`: a read-write connection of its own to the daemon's database (the pass owns it).
  // `edge_store`: the store of an edge log; `resolve`: central's store contexts (for the edge,
  // return the one store's). The watermark is read now; the thread starts with Start().
  static StatusOr<std::unique_ptr<ViewPass>> Open(std::unique_ptr<SQLite::Database> db,
                                                  EventLogKind kind, std::string edge_store,
                                                  StoreResolver resolve, std::mutex& write_gate,
                                                  const Clock& clock, ViewPassOptions options);
  ~ViewPass();
  ViewPass(const ViewPass&) = delete;
  ViewPass& operator=(const ViewPass&) = delete;

  void Start();
  // Finishes the group in flight and joins. What is not folded yet stays in the log for the next
  // start.
  void Stop();

  // The event writer, after each commit: the log now ends at `position`.
  void Committed(int64_t position);
  // The event writer, before a commit: waits while more than max_pending_events are unfolded (at
  // most max_throttle_ms).
  void Throttle();
  // Folds everything up to `position` now and waits for it, at most `timeout_ms`. Unavailable when
  // not there in time or the pass stopped first, with the pass's last error if it has one.
  // REQUIRES: `position` was reported by Committed (the pass folds only what it was told of).
  Status CatchUp(int64_t position, int64_t timeout_ms);

  int64_t folded() const;
  ViewPassStats stats() const;

 private:
  ViewPass(std::unique_ptr<SQLite::Database> db, EventLogKind kind, std::string edge_store,
           StoreResolver resolve, std::mutex& write_gate, const Clock& clock,
           ViewPassOptions options);
  void Run();
  // Folds one group past the watermark `from` (the writer reported the log up to `committed`); the
  // new watermark (unchanged when nothing was pending).
  StatusOr<int64_t> FoldGroup(int64_t from, int64_t committed);
  // Folds one store's events of the group, inside the group's transaction. An event whose fold
  // would take a stored total out of the int64 range (~10^9 events of the largest value into one
  // row: event_limits.h) is left out of the views, logged and counted (unfolded_events).
  Status FoldStore(const std::string& store, const std::vector<const LogEntry*>& entries,
                   int64_t now_ms);
  const StoreContext& Context(const std::string& store);
  void RecordLag(int64_t folded_to, int64_t now_ms);

  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<DerivedTables> derived_;
  const EventLogKind kind_;
  const std::string edge_store_;
  const StoreResolver resolve_;
  std::mutex& write_gate_;
  const Clock& clock_;
  const ViewPassOptions options_;
  std::map<std::string, StoreContext> contexts_;  // pass thread only: each store's, once known

  mutable std::mutex mu_;
  std::condition_variable wake_;    // the pass: work, a catch-up, stop
  std::condition_variable folded_cv_;  // writers and readers waiting for the watermark
  bool stopping_ = false;
  int64_t urgent_to_ = 0;  // a CatchUp wants this position folded without waiting for a group
  ViewPassStats stats_;
  std::deque<std::pair<int64_t, int64_t>> commits_;  // (position, commit ms) not folded yet
  std::thread thread_;
};

}  // namespace storepulse::common
