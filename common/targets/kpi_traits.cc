#include "common/targets/kpi_traits.h"

#include "common/kpi/kpi_catalogue.h"

namespace storepulse::common {

KpiTraits TraitsOf(std::string_view kpi) {
  KpiTraits traits;
  const std::optional<Kpi> known = FindKpi(kpi);
  if (!known) return traits;
  const KpiInfo& info = InfoOf(*known);
  traits.cumulative = info.cumulative;
  traits.lower_is_better = !info.higher_is_better;
  traits.fraction = info.unit == KpiUnit::kRate;
  return traits;
}

const std::set<std::string>& KnownKpiNames() {
  static const std::set<std::string> names = [] {
    std::set<std::string> all;
    for (const KpiInfo& info : kKpiCatalogue) all.emplace(info.name);
    return all;
  }();
  return names;
}

}  // namespace storepulse::common
