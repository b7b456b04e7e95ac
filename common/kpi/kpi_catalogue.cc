#include "common/kpi/kpi_catalogue.h"

namespace storepulse::common {
namespace {

// Each entry sits at its own index, so InfoOf is an array lookup.
constexpr bool EntriesAreInEnumOrder() {
  for (size_t i = 0; i < kKpiCount; ++i) {
    if (static_cast<size_t>(kKpiCatalogue[i].kpi) != i) return false;
  }
  return true;
}
static_assert(EntriesAreInEnumOrder(), "kKpiCatalogue must list the KPIs in the order of Kpi");

}  // namespace

std::optional<Kpi> FindKpi(std::string_view name) {
  for (const KpiInfo& info : kKpiCatalogue) {
    if (info.name == name) return info.kpi;
  }
  return std::nullopt;
}

std::string_view KpiUnitName(KpiUnit unit) {
  switch (unit) {
    case KpiUnit::kMoney:
      return "money";
    case KpiUnit::kMoneyPerM2:
      return "money_per_m2";
    case KpiUnit::kCount:
      return "count";
    case KpiUnit::kRatio:
      return "ratio";
    case KpiUnit::kRate:
      return "rate";
    case KpiUnit::kScore:
      return "score";
    case KpiUnit::kPercent:
      return "percent";
    case KpiUnit::kMinutes:
      return "minutes";
    case KpiUnit::kHours:
      break;
  }
  return "hours";
}

}  // namespace storepulse::common
