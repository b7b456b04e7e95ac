#include "central/target_report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <utility>

#include "central/central_kpis.h"
#include "central/target_period.h"
#include "central/target_progress.h"
#include "common/kpi/kpi_json.h"
#include "common/kpi/kpi_query.h"
#include "common/kpi/measures.h"
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
  ClippedReader(common::MeasureReader& inner, const LocalPeriod& period)
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
  LocalPeriod period_;
};

// The total row of one (scope, period) and what the targets on it need to know.
struct ScopeActuals {
  common::KpiRow row;  // the KPI row, all null when `error` is set
  std::string error;   // why there is no row
  json from;           // local dates bounding the stores' periods, `to` excluded
  json to;
  double elapsed = 0;
};

// An integral value as a JSON integer (money, counts), anything else as a double.
json Number(double value) {
  if (std::fabs(value) < 9e15 && value == std::trunc(value)) return static_cast<int64_t>(value);
  return value;
}

// Σ elapsed / Σ length over the stores' periods.
double Elapsed(const std::vector<LocalPeriod>& periods, int64_t now_ms) {
  double gone = 0, length = 0;
  for (const LocalPeriod& p : periods) {
    gone += p.Elapsed(now_ms) * static_cast<double>(p.end_ms - p.start_ms);
    length += static_cast<double>(p.end_ms - p.start_ms);
  }
  return length > 0 ? gone / length : 0;
}

std::vector<LocalPeriod> StorePeriods(const std::vector<const StoreEntry*>& stores,
                                      TargetPeriod period, int64_t now_ms) {
  std::vector<LocalPeriod> periods;
  for (const StoreEntry* s : stores) periods.push_back(CurrentLocalPeriod(period, s->zone, now_ms));
  return periods;
}

ScopeActuals QueryScope(SQLite::Database& db, const StoreDirectory& directory,
                        const std::string& scope, TargetPeriod period, int64_t now_ms) {
  ScopeActuals actuals;
  common::StatusOr<std::vector<const StoreEntry*>> stores = StoresInScope(directory, scope);
  if (stores.ok() && stores->empty()) stores = common::NotFound("the stores file lists no store");
  if (!stores.ok()) {
    actuals.error = stores.status().message();
    return actuals;
  }
  const std::vector<LocalPeriod> periods = StorePeriods(*stores, period, now_ms);
  const auto same = [&](const LocalPeriod& p) {
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

json TargetEntry(const Target& target, const ScopeActuals& actuals) {
  json entry = {{"scope", target.scope},     {"kpi", target.kpi},
                {"period", std::string(TargetPeriodName(target.period))},
                {"from", actuals.from},      {"to", actuals.to},
                {"elapsed", actuals.elapsed}, {"actual", nullptr},
                {"target", Number(target.target)}};
  std::optional<double> actual;
  std::string error = actuals.error;
  const std::optional<common::Kpi> kpi = common::FindKpi(target.kpi);
  if (error.empty() && !kpi) {
    error = "this central does not compute " + target.kpi + " yet";
  } else if (error.empty()) {
    const common::KpiValue& value = actuals.row[*kpi];
    entry["actual"] = common::KpiValueJson(value);
    if (!value.is_null()) actual = value.AsDouble();
  }
  const TargetProgress progress = JudgeTarget(target.kpi, actual, target.target, actuals.elapsed);
  entry["expected"] = Number(progress.expected);
  entry["gap"] = progress.gap ? Number(*progress.gap) : json();
  entry["gap_pct"] = progress.gap_pct ? json(*progress.gap_pct) : json();
  entry["status"] = std::string(TargetStatusName(progress.status));
  if (!error.empty()) entry["error"] = error;
  return entry;
}

}  // namespace

json EvaluateTargets(SQLite::Database& db, const StoreDirectory& directory,
                     const TargetList& targets, int64_t now_ms) {
  std::map<std::pair<std::string, TargetPeriod>, ScopeActuals> cache;  // one query per pair
  json entries = json::array();
  for (const Target& target : targets) {
    const auto key = std::make_pair(target.scope, target.period);
    auto it = cache.find(key);
    if (it == cache.end()) {
      it = cache.emplace(key, QueryScope(db, directory, target.scope, target.period, now_ms))
               .first;
    }
    entries.push_back(TargetEntry(target, it->second));
  }
  return {{"evaluated_at", common::FormatRfc3339Utc(now_ms)}, {"targets", std::move(entries)}};
}

}  // namespace storepulse::central
