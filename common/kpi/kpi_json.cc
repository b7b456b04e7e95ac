#include "common/kpi/kpi_json.h"

#include <string>

#include "common/kpi/kpi_catalogue.h"

namespace storepulse::common {
namespace {

// How a client reads a value of each unit (the same words as docs/KPIS.md).
std::string_view UnitDescription(KpiUnit unit) {
  switch (unit) {
    case KpiUnit::kMoney:
      return "minor units of the store's currency (cents): 123456 is 1,234.56";
    case KpiUnit::kMoneyPerM2:
      return "minor units of the store's currency per m² of sales area";
    case KpiUnit::kCount:
      return "a count: sales, units, visitors, customers, SKUs";
    case KpiUnit::kRatio:
      return "a quotient of counts that is not a share, e.g. units per sale";
    case KpiUnit::kRate:
      return "a fraction, 0-1 as a rule (a period's edges may leave it): 0.25 is 25%";
    case KpiUnit::kScore:
      return "a net score from -100 to 100";
    case KpiUnit::kPercent:
      return "a share already scaled to 0-100";
    case KpiUnit::kMinutes:
      break;
  }
  return "minutes";
}

nlohmann::json BuildCatalogueJson() {
  nlohmann::json kpis = nlohmann::json::array();
  nlohmann::json units = nlohmann::json::object();
  for (const KpiInfo& info : kKpiCatalogue) {
    kpis.push_back({{"name", info.name},
                    {"label", info.label},
                    {"short_label", info.short_label},
                    {"unit", KpiUnitName(info.unit)},
                    {"number", info.number == KpiNumber::kInteger ? "integer" : "real"},
                    {"higher_is_better", info.higher_is_better},
                    {"cumulative", info.cumulative},
                    {"may_be_approximate", info.may_be_approximate}});
    units[std::string(KpiUnitName(info.unit))] = UnitDescription(info.unit);
  }
  return {{"kpis", std::move(kpis)}, {"units", std::move(units)}};
}

}  // namespace

const nlohmann::json& KpiCatalogueJson() {
  static const nlohmann::json catalogue = BuildCatalogueJson();
  return catalogue;
}

}  // namespace storepulse::common
