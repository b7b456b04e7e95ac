#include "common/store/view_pass.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <malloc.h>

#include <algorithm>
#include <chrono>

#include "common/http/prometheus_text.h"
#include "common/log.h"
#include "common/store/derived_tables.h"
#include "common/store/sqlite_errors.h"

namespace storepulse::common {

namespace {
constexpr size_t kMaxRecentLags = 1024;
constexpr size_t kMaxTrackedCommits = 100'000;  // commit times kept for the lag figure
constexpr int64_t kRetryMs = 1'000;              // after a failed group
}  // namespace

nlohmann::json ViewPassJson(const ViewPassStats& stats) {
  return {{"folded", stats.folded},
          {"pending_events", std::max<int64_t>(0, stats.committed - stats.folded)},
          {"lag_ms", stats.last_lag_ms},
          {"unfolded_events", stats.unfolded_events},
          {"last_error", stats.last_error.empty() ? nlohmann::json(nullptr)
                                                  : nlohmann::json(stats.last_error)}};
}

std::string ViewPassMetrics(const nlohmann::json& views, const std::string& prefix) {
  if (!views.is_object()) return "";
  auto gauge = [&](const char* name, const char* help, const char* field) {
    return PrometheusMetric((prefix + name).c_str(), help, views.value(field, int64_t{0}), "gauge");
  };
  const std::string lag = prefix + "views_lag_seconds";
  return gauge("views_folded", "Last event position folded into the KPI views.", "folded") +
         gauge("views_pending_events", "Events stored but not folded into the KPI views yet.",
               "pending_events") +
         PrometheusText()
             .Single(lag, "How long the last folded events waited after their commit.", "gauge",
                     static_cast<double>(views.value("lag_ms", int64_t{0})) / 1000)
             .Take() +
         gauge("views_unfolded_events",
               "Events left out of the KPI views because a total would leave the int64 range.",
               "unfolded_events");
}

StatusOr<std::unique_ptr<ViewPass>> ViewPass::Open(std::unique_ptr<SQLite::Database> db,
                                                   EventLogKind kind, std::string edge_store,
                                                   StoreResolver resolve, std::mutex& write_gate,
                                                   const Clock& clock, ViewPassOptions options) {
  ASSIGN_OR_RETURN(const int64_t folded, ReadWatermark(*db, kind));
  ASSIGN_OR_RETURN(const int64_t end, ReadLogEnd(*db, kind));
  std::unique_ptr<ViewPass> pass(new ViewPass(std::move(db), kind, std::move(edge_store),
                                              std::move(resolve), write_gate, clock, options));
  pass->stats_.folded = folded;
  pass->stats_.committed = end;
  return pass;
}

ViewPass::ViewPass(std::unique_ptr<SQLite::Database> db, EventLogKind kind, std::string edge_store,
                   StoreResolver resolve, std::mutex& write_gate, const Clock& clock,
                   ViewPassOptions options)
    : db_(std::move(db)),
      derived_(std::make_unique<DerivedTables>(*db_, kind == EventLogKind::kCentral)),
      kind_(kind),
      edge_store_(std::move(edge_store)),
      resolve_(std::move(resolve)),
      write_gate_(write_gate),
      clock_(clock),
      options_(options) {}

ViewPass::~ViewPass() { Stop(); }

void ViewPass::Start() {
  std::lock_guard lock(mu_);
  if (!thread_.joinable() && !stopping_) thread_ = std::thread([this] { Run(); });
}

void ViewPass::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  folded_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ViewPass::Committed(int64_t position) {
  const int64_t now = clock_.NowMs();
  {
    std::lock_guard lock(mu_);
    if (position <= stats_.committed) return;
    stats_.committed = position;
    if (commits_.size() < kMaxTrackedCommits) commits_.emplace_back(position, now);
  }
  wake_.notify_one();
}

void ViewPass::Throttle() {
  std::unique_lock lock(mu_);
  folded_cv_.wait_for(lock, std::chrono::milliseconds(options_.max_throttle_ms), [&] {
    return stopping_ || stats_.committed - stats_.folded <= options_.max_pending_events;
  });
}

Status ViewPass::CatchUp(int64_t position, int64_t timeout_ms) {
  std::unique_lock lock(mu_);
  urgent_to_ = std::max(urgent_to_, position);
  wake_.notify_one();
  const bool done = folded_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    return stopping_ || stats_.folded >= position;
  });
  if (stats_.folded >= position) return OkStatus();
  if (!stats_.last_error.empty()) return Unavailable(stats_.last_error);
  return Unavailable(done ? "the view pass stopped before position " + std::to_string(position)
                               : "the view pass did not reach position " +
                                     std::to_string(position) + " within " +
                                     std::to_string(timeout_ms) + " ms");
}

int64_t ViewPass::folded() const {
  std::lock_guard lock(mu_);
  return stats_.folded;
}

ViewPassStats ViewPass::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void ViewPass::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait(lock, [&] { return stopping_ || stats_.committed > stats_.folded; });
    if (stopping_) break;
    // Let a group gather, unless it is large already or a reader asked for it now.
    wake_.wait_for(lock, std::chrono::milliseconds(options_.group_ms), [&] {
      return stopping_ || urgent_to_ > stats_.folded ||
             stats_.committed - stats_.folded >= static_cast<int64_t>(options_.max_group_events);
    });
    if (stopping_) break;
    const int64_t from = stats_.folded;
    const int64_t committed = stats_.committed;
    lock.unlock();
    StatusOr<int64_t> folded = FoldGroup(from, committed);
    lock.lock();
    if (folded.ok()) {
      stats_.last_error.clear();
      // A log that ends before the writer said (a rolled-back commit): nothing more to wait for,
      // unless the writer reported a new commit meanwhile.
      if (*folded == from && stats_.committed == committed) stats_.committed = from;
      if (stats_.committed == stats_.folded && *folded != from) {
        // Caught up after a burst: its groups' memory goes back to the system, as the writer's
        // does (SPEC §8: RSS at steady state), even when other work on the heap outlived it.
        lock.unlock();
        malloc_trim(0);
        lock.lock();
      }
    } else {
      if (stats_.last_error != folded.status().message()) {
        LogError("view pass: " + folded.status().message() + "; retrying every second");
      }
      stats_.last_error = folded.status().message();
      folded_cv_.notify_all();
      wake_.wait_for(lock, std::chrono::milliseconds(kRetryMs), [&] { return stopping_; });
    }
  }
}

StatusOr<int64_t> ViewPass::FoldGroup(int64_t from, int64_t committed) {
  std::vector<LogEntry> entries;
  // Room for the group at once: each doubling of the vector moved every event read so far into
  // pages just faulted in.
  entries.reserve(static_cast<size_t>(
      std::clamp<int64_t>(committed - from, 0, static_cast<int64_t>(options_.max_group_events))));
  RETURN_IF_ERROR(
      ReadLogAfter(*db_, kind_, edge_store_, from, options_.max_group_events, &entries));
  if (entries.empty()) return from;
  std::map<std::string, std::vector<const LogEntry*>> by_store;  // each store's in log order
  for (const LogEntry& entry : entries) by_store[entry.store].push_back(&entry);
  const int64_t to = entries.back().position;
  const int64_t now = clock_.NowMs();
  try {
    std::lock_guard gate(write_gate_);
    SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    for (const auto& [store, store_entries] : by_store) {
      RETURN_IF_ERROR(FoldStore(store, store_entries, now));
    }
    WriteWatermark(*db_, kind_, to);
    transaction.commit();
  } catch (const std::exception& e) {
    return SqliteErrorStatus(*db_, e, "fold events into the views");
  }
  {
    std::lock_guard lock(mu_);
    stats_.folded = to;
    stats_.groups++;
    stats_.events += static_cast<int64_t>(entries.size());
    RecordLag(to, clock_.NowMs());
  }
  folded_cv_.notify_all();
  return to;
}

Status ViewPass::FoldStore(const std::string& store, const std::vector<const LogEntry*>& entries,
                           int64_t now_ms) {
  const StoreContext& context = Context(store);
  std::vector<const Event*> events;
  events.reserve(entries.size());
  for (const LogEntry* entry : entries) events.push_back(&entry->event);
  db_->exec("SAVEPOINT fold_store");
  Status folded = derived_->Apply(store, context.region, context.zone, events, now_ms);
  if (folded.ok()) {
    db_->exec("RELEASE fold_store");
    return folded;
  }
  db_->exec("ROLLBACK TO fold_store");
  db_->exec("RELEASE fold_store");
  if (folded.code() != StatusCode::kOutOfRange) return folded;
  // A stored total would leave the int64 range: every event that does not take it there is
  // folded; those that do are left out, logged and counted. They stay in the log.
  for (const LogEntry* entry : entries) {
    db_->exec("SAVEPOINT fold_event");
    Status one = derived_->Apply(store, context.region, context.zone, {&entry->event}, now_ms);
    if (!one.ok()) db_->exec("ROLLBACK TO fold_event");
    db_->exec("RELEASE fold_event");
    if (one.ok()) continue;
    if (one.code() != StatusCode::kOutOfRange) return one;
    LogError("view pass: event " + entry->event.id + " of store " + store +
             " is stored but left out of the KPI views: " + one.message());
    std::lock_guard lock(mu_);
    stats_.unfolded_events++;
  }
  return OkStatus();
}

const StoreContext& ViewPass::Context(const std::string& store) {
  auto it = contexts_.find(store);
  if (it != contexts_.end()) return it->second;
  std::optional<StoreContext> context = resolve_(store);
  if (!context) {
    // Central: events of a store the stores file no longer lists. They are still counted, on UTC
    // days and without a region, rather than held back.
    LogError("view pass: store " + store + " is not in the stores file; its days are UTC days");
    context = StoreContext{"", *TimeZone::Load("UTC")};
  }
  return contexts_.emplace(store, std::move(*context)).first->second;
}

// REQUIRES: mu_ held.
void ViewPass::RecordLag(int64_t folded_to, int64_t now_ms) {
  int64_t oldest = -1;
  while (!commits_.empty() && commits_.front().first <= folded_to) {
    if (oldest < 0) oldest = commits_.front().second;
    commits_.pop_front();
  }
  if (oldest < 0) return;
  stats_.last_lag_ms = now_ms - oldest;
  if (stats_.recent_lags_ms.size() == kMaxRecentLags) {
    stats_.recent_lags_ms.erase(stats_.recent_lags_ms.begin());
  }
  stats_.recent_lags_ms.push_back(stats_.last_lag_ms);
}

}  // namespace storepulse::common
