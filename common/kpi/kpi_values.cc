#include "common/kpi/kpi_values.h"

namespace storepulse::common {
namespace {

// (num × scale) / (den × unit) as a double, or null when there is nothing to divide by (SPEC §6).
// Not rounded: rounding is for whoever displays the number.
nlohmann::json Ratio(int64_t num, int64_t den, double scale = 1.0, double unit = 1.0) {
  if (den == 0) return nullptr;
  return static_cast<double>(num) * scale / (static_cast<double>(den) * unit);
}

// Differences below (net sales, nps, late orders) are of two measures, both >= 0 (every event adds
// >= 0, and the sums are checked): they cannot overflow.
void AddSales(const Measures& m, nlohmann::json* row) {
  const int64_t gross = m[Measure::kGrossSales];
  const int64_t txns = m[Measure::kTransactions];
  auto& r = *row;
  r["gross_sales"] = gross;
  r["returns_value"] = m[Measure::kReturnsValue];
  r["net_sales"] = gross - m[Measure::kReturnsValue];
  r["transactions"] = txns;
  r["units_sold"] = m[Measure::kUnitsSold];
  r["units_returned"] = m[Measure::kUnitsReturned];
  r["aov"] = Ratio(gross, txns);
  r["upt"] = Ratio(m[Measure::kUnitsSold], txns);
  r["footfall"] = m[Measure::kFootfallIn];
  r["conversion_rate"] = Ratio(m[Measure::kStoreTransactions], m[Measure::kFootfallIn]);
  r["return_rate"] = Ratio(m[Measure::kReturnsValue], gross);
  r["return_rate_units"] = Ratio(m[Measure::kUnitsReturned], m[Measure::kUnitsSold]);
  r["web_returns_in_store"] = m[Measure::kWebReturns];
  r["web_returns_in_store_value"] = m[Measure::kWebReturnsValue];
  // The numerators of purchase_frequency and clv, whose denominator (distinct customers) is added
  // by common/kpi/customer_figures.cc.
  r["identified_transactions"] = m[Measure::kIdentifiedTransactions];
  r["identified_net_sales"] = m[Measure::kIdentifiedSales] - m[Measure::kIdentifiedReturnsValue];
}

void AddFeedbackAndStock(const Measures& m, nlohmann::json* row) {
  auto& r = *row;
  r["nps"] = Ratio(m[Measure::kNpsPromoters] - m[Measure::kNpsDetractors],
                   m[Measure::kNpsResponses], 100.0);
  r["nps_responses"] = m[Measure::kNpsResponses];
  r["csat"] = Ratio(m[Measure::kCsatSatisfied], m[Measure::kCsatResponses], 100.0);
  r["csat_responses"] = m[Measure::kCsatResponses];
  r["shrink_units"] = m[Measure::kShrinkUnits];
}

void AddOrders(const Measures& m, nlohmann::json* row) {
  auto& r = *row;
  r["cc_orders"] = m[Measure::kCcOrders];
  r["cc_warehouse_share"] = Ratio(m[Measure::kCcFromWarehouse], m[Measure::kCcOrders]);
  r["sfs_orders"] = m[Measure::kSfsOrders];
  r["sfs_stock_cancel_rate"] = Ratio(m[Measure::kSfsStockCancels], m[Measure::kSfsOrders]);
  r["promise_kept_rate"] = Ratio(m[Measure::kPromisesKept], m[Measure::kPromisesJudged]);
  const int64_t late = m[Measure::kPromisesJudged] - m[Measure::kPromisesKept];
  r["avg_late_minutes"] = Ratio(m[Measure::kLateMsSum], late, 1.0, 60000.0);
}

}  // namespace

nlohmann::json KpiRow(const std::string& key, const Measures& m) {
  nlohmann::json row = nlohmann::json::object();
  row["key"] = key;
  AddSales(m, &row);
  AddFeedbackAndStock(m, &row);
  AddOrders(m, &row);
  return row;
}

}  // namespace storepulse::common
