#include "common/targets/targets_document.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "common/targets/target_entry.h"

namespace storepulse::common {
namespace {

using nlohmann::json;

bool InDocument(const Target& target, const std::string& store, const std::string& region) {
  return target.scope == "network" || target.scope == "store:" + store ||
         (!region.empty() && target.scope == "region:" + region);
}

StatusOr<Target> TargetOfRow(const std::string& key, const json& row) {
  if (!row.is_object()) return InvalidArgument("not an object");
  const json& scope = row.contains("scope") ? row["scope"] : json();
  const json& kpi = row.contains("kpi") ? row["kpi"] : json();
  const json& period = row.contains("period") ? row["period"] : json();
  const json& value = row.contains("target") ? row["target"] : json();
  const json& order = row.contains("order") ? row["order"] : json();
  if (!scope.is_string() || !kpi.is_string() || !period.is_string() || !value.is_number() ||
      !order.is_number_integer() || order.get<int64_t>() < 0) {
    return InvalidArgument("scope, kpi and period are strings, target a number, order a count");
  }
  Target target;
  target.scope = scope.get<std::string>();
  target.kpi = kpi.get<std::string>();
  RETURN_IF_ERROR(CheckTargetScope(target.scope));
  if (target.kpi.empty()) return InvalidArgument("no KPI");
  ASSIGN_OR_RETURN(target.period, ParseTargetPeriod(period.get<std::string>()));
  target.target = value.get<double>();
  if (!std::isfinite(target.target)) return InvalidArgument("target not finite");
  target.line = order.get<size_t>();
  if (TargetRowKey(target) != key) return InvalidArgument("the key is not scope|kpi|period");
  return target;
}

}  // namespace

std::string TargetRowKey(const Target& target) {
  return target.scope + "|" + target.kpi + "|" + std::string(TargetPeriodName(target.period));
}

DocumentRows TargetsRows(const TargetList& targets, const std::string& store,
                         const std::string& region) {
  DocumentRows rows;
  size_t order = 0;
  for (const Target& target : targets) {
    if (!InDocument(target, store, region)) continue;
    rows[TargetRowKey(target)] = {{"scope", target.scope},
                                  {"kpi", target.kpi},
                                  {"period", std::string(TargetPeriodName(target.period))},
                                  {"target", TargetNumber(target.target)},
                                  {"order", order++}};
  }
  return rows;
}

StatusOr<TargetList> TargetsFromRows(const DocumentRows& rows) {
  TargetList targets;
  for (const auto& [key, row] : rows) {
    StatusOr<Target> target = TargetOfRow(key, row);
    if (!target.ok()) {
      return InvalidArgument("targets row \"" + key + "\": " + target.status().message());
    }
    targets.push_back(std::move(target).value());
  }
  std::stable_sort(targets.begin(), targets.end(),
                   [](const Target& a, const Target& b) { return a.line < b.line; });
  for (Target& target : targets) target.line = 0;  // not a line of a file here
  return targets;
}

}  // namespace storepulse::common
