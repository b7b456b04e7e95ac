#include "central/kpi_traits.h"

#include "common/kpi/kpi_catalogue.h"

namespace storepulse::central {

KpiTraits TraitsOf(std::string_view kpi) {
  KpiTraits traits;
  const std::optional<common::Kpi> known = common::FindKpi(kpi);
  if (!known) return traits;
  const common::KpiInfo& info = common::InfoOf(*known);
  traits.cumulative = info.cumulative;
  traits.lower_is_better = !info.higher_is_better;
  traits.fraction = info.unit == common::KpiUnit::kRate;
  return traits;
}

const std::set<std::string>& KnownKpiNames() {
  static const std::set<std::string> names = [] {
    std::set<std::string> all;
    for (const common::KpiInfo& info : common::kKpiCatalogue) all.emplace(info.name);
    return all;
  }();
  return names;
}

}  // namespace storepulse::central
