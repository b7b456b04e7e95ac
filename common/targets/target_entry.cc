#include "common/targets/target_entry.h"

#include <cmath>
#include <cstdint>
#include <optional>

#include "common/kpi/kpi_json.h"
#include "common/targets/pace.h"
#include "common/targets/target_progress.h"

namespace storepulse::common {

using nlohmann::json;

json TargetNumber(double value) {
  if (std::fabs(value) < 9e15 && value == std::trunc(value)) return static_cast<int64_t>(value);
  return value;
}

json TargetEntryJson(const Target& target, const TargetActuals& actuals) {
  json entry = {{"scope", target.scope},
                {"kpi", target.kpi},
                {"period", std::string(TargetPeriodName(target.period))},
                {"from", actuals.from},
                {"to", actuals.to},
                {"elapsed", actuals.elapsed},
                {"actual", nullptr},
                {"target", TargetNumber(target.target)}};
  std::optional<double> actual;
  std::string error = actuals.error;
  const std::optional<Kpi> kpi = FindKpi(target.kpi);
  if (error.empty() && !kpi) {
    error = "this version does not compute " + target.kpi + " yet";
  } else if (error.empty()) {
    const KpiValue& value = actuals.row[*kpi];
    entry["actual"] = KpiValueJson(value);
    if (!value.is_null()) actual = value.AsDouble();
  }
  const TargetProgress progress = JudgeTarget(target.kpi, actual, target.target, actuals.elapsed);
  entry["expected"] = TargetNumber(progress.expected);
  entry["gap"] = progress.gap ? TargetNumber(*progress.gap) : json();
  entry["gap_pct"] = progress.gap_pct ? json(*progress.gap_pct) : json();
  entry["status"] = std::string(TargetStatusName(progress.status));
  if (!error.empty()) entry["error"] = error;
  return entry;
}

json PaceEntryJson(double target, double actual, double share, const std::string& basis,
                   int history_days) {
  const Pace pace = JudgePace(target, actual, share);
  return {{"basis", basis},
          {"history_days", history_days},
          {"share", pace.share},
          {"expected_by_now", TargetNumber(std::round(pace.expected_by_now))},
          {"projected_close",
           pace.projected_close ? TargetNumber(std::round(*pace.projected_close)) : json()},
          {"on_track", pace.on_track}};
}

}  // namespace storepulse::common
