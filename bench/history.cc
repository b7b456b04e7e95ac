#include "bench/history.h"

#include <vector>

#include "bench/bench_report.h"
#include "bench/synthetic_events.h"
#include "common/time_zone.h"
#include "edge/event_store.h"

namespace storepulse::bench {

namespace {
constexpr size_t kEventsPerTransaction = 50'000;
}  // namespace

common::StatusOr<double> BuildHistory(const HistorySpec& spec) {
  ASSIGN_OR_RETURN(common::TimeZone zone, common::TimeZone::Load(spec.timezone));
  ASSIGN_OR_RETURN(auto store, edge::EventStore::Open(spec.data_dir, spec.store, zone,
                                                      edge::Durability::kNormal));
  const double step = static_cast<double>(spec.to_ms - spec.from_ms) /
                      static_cast<double>(std::max<size_t>(spec.events, 1));
  Stopwatch watch;
  std::vector<common::Event> events;
  std::vector<edge::AppendOutcome> outcomes;
  for (size_t first = 0; first < spec.events; first += kEventsPerTransaction) {
    size_t end = std::min(spec.events, first + kEventsPerTransaction);
    events.clear();
    for (size_t n = first; n < end; ++n) {
      int64_t ts = spec.from_ms + static_cast<int64_t>(step * static_cast<double>(n));
      events.push_back(MakeEvent(spec.store, 1 + static_cast<int>(n % spec.tills),
                                 static_cast<int64_t>(n), ts));
    }
    RETURN_IF_ERROR(store->Begin());
    common::Status appended = store->Append(events, events.back().ts_ms, &outcomes);
    if (!appended.ok()) {
      store->Rollback();
      return appended;
    }
    RETURN_IF_ERROR(store->Commit());
  }
  if (store->info().last_seq != static_cast<int64_t>(spec.events)) {
    return common::Internal("history holds " + std::to_string(store->info().last_seq) +
                            " events, not " + std::to_string(spec.events));
  }
  return watch.Seconds();
}

}  // namespace storepulse::bench
