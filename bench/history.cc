#include "bench/history.h"

#include <vector>

#include "bench/bench_report.h"
#include "bench/synthetic_events.h"
#include "common/store/view_pass.h"
#include "common/time_util.h"
#include "common/time_zone.h"
#include "edge/event_store.h"

namespace storepulse::bench {

namespace {
constexpr size_t kEventsPerTransaction = 50'000;
}  // namespace

common::Event HistoryEvent(const HistorySpec& spec, size_t n) {
  const double step = static_cast<double>(spec.to_ms - spec.from_ms) /
                      static_cast<double>(std::max<size_t>(spec.events, 1));
  int64_t ts = spec.from_ms + static_cast<int64_t>(step * static_cast<double>(n));
  common::Event event =
      MakeEvent(spec.store, 1 + static_cast<int>(n % spec.tills), static_cast<int64_t>(n), ts);
  if (spec.customer_pool > 0 && !event.customer.empty()) {
    // MakeEvent's "C0123456" is uniform over 200,000 ids: its number picks one of the store's.
    int64_t pick = std::stoll(event.customer.substr(1));
    event.customer = spec.store + "-C" +
                     std::to_string(static_cast<size_t>(pick) % spec.customer_pool);
  }
  return event;
}

common::ViewPassOptions HistoryViewOptions() {
  common::ViewPassOptions options;
  options.max_group_events = 50'000;
  options.max_pending_events = 200'000;
  options.max_throttle_ms = 600'000;  // the writer waits for the pass: both cores stay busy
  return options;
}

common::Status FoldEverything(common::ViewPass& views, int64_t log_end) {
  RETURN_IF_ERROR(views.CatchUp(log_end, /*timeout_ms=*/3'600'000));
  common::ViewPassStats stats = views.stats();
  views.Stop();
  if (stats.unfolded_events != 0) {
    return common::Internal(std::to_string(stats.unfolded_events) +
                            " history events were left out of the views");
  }
  return common::OkStatus();
}

common::StatusOr<double> BuildHistory(const HistorySpec& spec) {
  ASSIGN_OR_RETURN(common::TimeZone zone, common::TimeZone::Load(spec.timezone));
  ASSIGN_OR_RETURN(auto store, edge::EventStore::Open(spec.data_dir, spec.store, zone,
                                                      edge::Durability::kNormal));
  common::SystemClock clock;
  ASSIGN_OR_RETURN(auto views, store->OpenViewPass(clock, HistoryViewOptions()));
  views->Start();
  Stopwatch watch;
  std::vector<common::Event> events;
  std::vector<edge::AppendOutcome> outcomes;
  for (size_t first = 0; first < spec.events; first += kEventsPerTransaction) {
    size_t end = std::min(spec.events, first + kEventsPerTransaction);
    events.clear();
    for (size_t n = first; n < end; ++n) events.push_back(HistoryEvent(spec, n));
    views->Throttle();
    ASSIGN_OR_RETURN(edge::EventStore::Group transaction, store->BeginGroup());
    RETURN_IF_ERROR(transaction.Append(events, events.back().ts_ms, &outcomes));
    RETURN_IF_ERROR(transaction.Commit());
    views->Committed(store->info().last_seq);
  }
  if (store->info().last_seq != static_cast<int64_t>(spec.events)) {
    return common::Internal("history holds " + std::to_string(store->info().last_seq) +
                            " events, not " + std::to_string(spec.events));
  }
  RETURN_IF_ERROR(FoldEverything(*views, store->info().last_seq));
  return watch.Seconds();
}

}  // namespace storepulse::bench
