#include "central/target_report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <utility>

#include "central/central_kpis.h"
#include "central/central_pace.h"
#include "common/kpi/kpi_query.h"
#include "common/kpi/measures.h"
#include "common/targets/target_entry.h"
#include "common/targets/target_period.h"
#include "common/time_util.h"

namespace storepulse::central {
namespace {

using nlohmann::json;

// A store's measures restricted to its own current period, for a scope whose stores are not all
// in the same local period (a network week on Sunday night UTC): the query then runs over the
// union of the periods and each store's sums cover only its own. (Distinct customers and stock
// are read over the union: a few hours' difference, on those nights only.)
class ClippedReader final : public common::MeasureReader {
 public:
  ClippedReader(common::MeasureReader& inner, const common::LocalPeriod& period)
      : inner_(inner), period_(period) {}

  common::Status ReadBuckets(int64_t from, int64_t to, const Sink& sink) override {
    from = std::max(from, common::BucketOf(period_.start_ms));
    to = std::min(to, common::BucketOf(period_.end_ms));
    return from < to ? inner_.ReadBuckets(from, to, sink) : common::OkStatus();
  }

  common::Status ReadDays(int64_t from, int64_t to, const Sink& sink) override {
    from = std::max(from, period_.first_day);
    to = std::min(to, period_.end_day);
    return from < to ? inner_.ReadDays(from, to, sink) : common::OkStatus();
  }

 private:
  common::MeasureReader& inner_;
  common::LocalPeriod period_;
};

// Σ elapsed / Σ length over the stores' periods.
double Elapsed(const std::vector<common::LocalPeriod>& periods, int64_t now_ms) {
  double gone = 0, length = 0;
  for (const common::LocalPeriod& p : periods) {
    gone += p.Elapsed(now_ms) * static_cast<double>(p.end_ms - p.start_ms);
    length += static_cast<double>(p.end_ms - p.start_ms);
  }
  return length > 0 ? gone / length : 0;
}

std::vector<common::LocalPeriod> StorePeriods(const std::vector<const StoreEntry*>& stores,
                                              common::TargetPeriod period, int64_t now_ms) {
  std::vector<common::LocalPeriod> periods;
  for (const StoreEntry* s : stores)
    periods.push_back(common::CurrentLocalPeriod(period, s->zone, now_ms));
  return periods;
}

common::TargetActuals QueryScope(SQLite::Database& db, const StoreDirectory& directory,
                                 const std::string& scope, common::TargetPeriod period,
                                 int64_t now_ms) {
  common::TargetActuals actuals;
  common::StatusOr<std::vector<const StoreEntry*>> stores = StoresInScope(directory, scope);
  if (stores.ok() && stores->empty()) stores = common::NotFound("the stores file lists no store");
  if (!stores.ok()) {
    actuals.error = stores.status().message();
    return actuals;
  }
  const std::vector<common::LocalPeriod> periods = StorePeriods(*stores, period, now_ms);
  const auto same = [&](const common::LocalPeriod& p) {
    return p.first_day == periods[0].first_day && p.end_day == periods[0].end_day;
  };
  const bool clip = !std::all_of(periods.begin(), periods.end(), same);
  common::StatusOr<std::unique_ptr<CentralSources>> central =
      CentralSources::Read(db, directory, *stores);
  if (!central.ok()) {
    actuals.error = central.status().message();
    return actuals;
  }
  std::vector<common::StoreSource>& sources = (*central)->sources();
  std::vector<std::unique_ptr<ClippedReader>> clipped;
  common::KpiRequest request;
  int64_t first = periods[0].first_day, end = periods[0].end_day;
  for (size_t i = 0; i < sources.size(); ++i) {
    if (clip) {
      clipped.push_back(std::make_unique<ClippedReader>(*sources[i].reader, periods[i]));
      sources[i].reader = clipped.back().get();
    }
    first = std::min(first, periods[i].first_day), end = std::max(end, periods[i].end_day);
  }
  request.from = common::TimeZone::FormatLocalDate(first);
  request.to = common::TimeZone::FormatLocalDate(end);
  request.scope = scope;
  common::StatusOr<common::KpiAnswer> answer = common::RunKpiQuery(request, sources, now_ms);
  if (!answer.ok()) {
    actuals.error = answer.status().message();
    return actuals;
  }
  actuals.row = std::move(answer->rows[0]);  // by=total: always one row
  actuals.from = request.from, actuals.to = request.to;
  actuals.elapsed = Elapsed(periods, now_ms);
  return actuals;
}

}  // namespace

json EvaluateTargets(SQLite::Database& db, const StoreDirectory& directory,
                     const common::TargetList& targets, int64_t now_ms) {
  std::map<std::pair<std::string, common::TargetPeriod>, common::TargetActuals>
      cache;  // one query per pair
  json entries = json::array();
  for (const common::Target& target : targets) {
    const auto key = std::make_pair(target.scope, target.period);
    auto it = cache.find(key);
    if (it == cache.end()) {
      it = cache.emplace(key, QueryScope(db, directory, target.scope, target.period, now_ms))
               .first;
    }
    json entry = common::TargetEntryJson(target, it->second);
    // A store's day of net sales, paced by its own history where central has it (central_pace.h).
    const common::KpiValue& net = it->second.row[common::Kpi::kNetSales];
    const StoreEntry* store = target.scope.starts_with("store:")
                                  ? directory.FindByStore(target.scope.substr(6))
                                  : nullptr;
    if (store != nullptr && target.kpi == "net_sales" &&
        target.period == common::TargetPeriod::kDay && it->second.error.empty() && !net.is_null()) {
      common::StatusOr<std::optional<CentralPace>> pace =
          StoreDayPace(db, directory, *store, now_ms);
      if (pace.ok() && pace->has_value()) {
        entry["pace"] = common::PaceEntryJson(target.target, net.AsDouble(), (*pace)->share,
                                              "history", (*pace)->history_days);
      }
    }
    entries.push_back(std::move(entry));
  }
  return {{"evaluated_at", common::FormatRfc3339Utc(now_ms)}, {"targets", std::move(entries)}};
}

}  // namespace storepulse::central
