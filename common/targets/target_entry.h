// One entry of a targets answer (GET /api/v1/targets, at central and at the edge alike):
//   {"scope","kpi","period","from","to","elapsed","actual","target","expected","gap","gap_pct",
//    "status"[,"error"]}
// made from a target and the actuals of its (scope, period). Central (central/target_report.h)
// and the edge (edge/edge_targets.h) fill TargetActuals each from its own figures and share this,
// so a caught-up store's entries are equal at both. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/kpi/kpi_row.h"
#include "common/targets/targets_file.h"

namespace storepulse::common {

// What the targets on one (scope, period) are judged against.
struct TargetActuals {
  KpiRow row;           // the KPI row over the period; all null when `error` is set
  std::string error;    // why there is no row
  nlohmann::json from;  // local dates bounding the period, `to` excluded
  nlohmann::json to;
  double elapsed = 0;  // the part of the period gone by, 0–1
};

// An integral value as a JSON integer (money, counts), anything else as a double.
nlohmann::json TargetNumber(double value);

nlohmann::json TargetEntryJson(const Target& target, const TargetActuals& actuals);

// The `pace` of a net_sales entry (common/targets/pace.h): {"basis", "history_days", "share",
// "expected_by_now", "projected_close", "on_track"}, money rounded to the minor unit.
nlohmann::json PaceEntryJson(double target, double actual, double share, const std::string& basis,
                             int history_days);

}  // namespace storepulse::common
