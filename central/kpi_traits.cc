#include "central/kpi_traits.h"

#include <array>

#include "common/kpi/kpi_values.h"

namespace storepulse::central {
namespace {

// Sums over the period: a target for a week is met bit by bit through the week. Distinct
// customers are not a sum, but grow through the period all the same.
constexpr std::array<std::string_view, 17> kCumulative = {
    "gross_sales",   "returns_value",  "net_sales",
    "transactions",  "units_sold",     "units_returned",
    "footfall",      "web_returns_in_store", "web_returns_in_store_value",
    "nps_responses", "csat_responses", "shrink_units",
    "cc_orders",     "sfs_orders",     "customers",
    "new_customers", "sales_per_m2"};

constexpr std::array<std::string_view, 9> kLowerIsBetter = {
    "returns_value",         "units_returned",     "return_rate",
    "return_rate_units",     "shrink_units",       "cc_warehouse_share",
    "sfs_stock_cancel_rate", "avg_late_minutes",   "out_of_stock_skus"};

// KPIs of SPEC §3 that are not computed from the channel measures alone (sets of customers,
// on-hand stock, store areas): valid in a targets file even before the KPI JSON carries them.
constexpr std::array<std::string_view, 9> kBeyondMeasures = {
    "customers",    "new_customers",     "recruitment_rate",
    "purchase_frequency", "clv",         "availability",
    "out_of_stock_skus",  "stock_turnover", "sales_per_m2"};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& names, std::string_view kpi) {
  for (std::string_view name : names) {
    if (name == kpi) return true;
  }
  return false;
}

}  // namespace

KpiTraits TraitsOf(std::string_view kpi) {
  KpiTraits traits;
  traits.cumulative = Contains(kCumulative, kpi);
  traits.lower_is_better = Contains(kLowerIsBetter, kpi);
  traits.fraction = kpi.find("_rate") != std::string_view::npos || kpi.ends_with("_share") ||
                    kpi == "availability";
  return traits;
}

const std::set<std::string>& KnownKpiNames() {
  static const std::set<std::string> names = [] {
    std::set<std::string> all(common::kKpiNames.begin(), common::kKpiNames.end());
    all.insert(kBeyondMeasures.begin(), kBeyondMeasures.end());
    const nlohmann::json row = common::KpiRow("total", common::Measures{});
    for (const auto& [name, value] : row.items()) {
      if (name != "key" && !value.is_array() && !value.is_object()) all.insert(name);
    }
    return all;
  }();
  return names;
}

}  // namespace storepulse::central
