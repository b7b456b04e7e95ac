#include "common/kpi/kpi_values.h"

#include <utility>

namespace storepulse::common {
namespace {

// (num × scale) / (den × unit) as a double, or null when there is nothing to divide by (SPEC §6).
// Not rounded: rounding is for whoever displays the number.
KpiValue Ratio(int64_t num, int64_t den, double scale = 1.0, double unit = 1.0) {
  if (den == 0) return KpiValue();
  return KpiValue::Real(static_cast<double>(num) * scale / (static_cast<double>(den) * unit));
}

KpiValue Sum(int64_t value) { return KpiValue::Integer(value); }

// Differences below (net sales, nps, late orders) are of two measures, both >= 0 (every event adds
// >= 0, and the sums are checked): they cannot overflow.
void AddSales(const Measures& m, KpiRow* row) {
  const int64_t gross = m[Measure::kGrossSales];
  const int64_t txns = m[Measure::kTransactions];
  auto& r = *row;
  r[Kpi::kGrossSales] = Sum(gross);
  r[Kpi::kReturnsValue] = Sum(m[Measure::kReturnsValue]);
  r[Kpi::kNetSales] = Sum(gross - m[Measure::kReturnsValue]);
  r[Kpi::kTransactions] = Sum(txns);
  r[Kpi::kUnitsSold] = Sum(m[Measure::kUnitsSold]);
  r[Kpi::kUnitsReturned] = Sum(m[Measure::kUnitsReturned]);
  r[Kpi::kAov] = Ratio(gross, txns);
  r[Kpi::kUpt] = Ratio(m[Measure::kUnitsSold], txns);
  r[Kpi::kFootfall] = Sum(m[Measure::kFootfallIn]);
  r[Kpi::kConversionRate] = Ratio(m[Measure::kStoreTransactions], m[Measure::kFootfallIn]);
  r[Kpi::kReturnRate] = Ratio(m[Measure::kReturnsValue], gross);
  r[Kpi::kReturnRateUnits] = Ratio(m[Measure::kUnitsReturned], m[Measure::kUnitsSold]);
  r[Kpi::kDefectReturnRate] = Ratio(m[Measure::kDefectiveUnits], m[Measure::kUnitsSold]);
  r[Kpi::kWebReturnsInStore] = Sum(m[Measure::kWebReturns]);
  r[Kpi::kWebReturnsInStoreValue] = Sum(m[Measure::kWebReturnsValue]);
  // The numerators of purchase_frequency and clv, whose denominator (distinct customers) is added
  // by common/kpi/customer_figures.cc.
  r[Kpi::kIdentifiedTransactions] = Sum(m[Measure::kIdentifiedTransactions]);
  r[Kpi::kIdentifiedNetSales] =
      Sum(m[Measure::kIdentifiedSales] - m[Measure::kIdentifiedReturnsValue]);
}

void AddFeedbackAndStock(const Measures& m, KpiRow* row) {
  auto& r = *row;
  r[Kpi::kNps] = Ratio(m[Measure::kNpsPromoters] - m[Measure::kNpsDetractors],
                       m[Measure::kNpsResponses], 100.0);
  r[Kpi::kNpsResponses] = Sum(m[Measure::kNpsResponses]);
  r[Kpi::kCsat] = Ratio(m[Measure::kCsatSatisfied], m[Measure::kCsatResponses], 100.0);
  r[Kpi::kCsatResponses] = Sum(m[Measure::kCsatResponses]);
  r[Kpi::kShrinkUnits] = Sum(m[Measure::kShrinkUnits]);
}

void AddOrders(const Measures& m, KpiRow* row) {
  auto& r = *row;
  r[Kpi::kCcOrders] = Sum(m[Measure::kCcOrders]);
  r[Kpi::kCcWarehouseShare] = Ratio(m[Measure::kCcFromWarehouse], m[Measure::kCcOrders]);
  r[Kpi::kSfsOrders] = Sum(m[Measure::kSfsOrders]);
  r[Kpi::kSfsStockCancelRate] = Ratio(m[Measure::kSfsStockCancels], m[Measure::kSfsOrders]);
  r[Kpi::kPromiseKeptRate] = Ratio(m[Measure::kPromisesKept], m[Measure::kPromisesJudged]);
  const int64_t late = m[Measure::kPromisesJudged] - m[Measure::kPromisesKept];
  r[Kpi::kAvgLateMinutes] = Ratio(m[Measure::kLateMsSum], late, 1.0, 60000.0);
  r[Kpi::kAvgReadyMinutes] = Ratio(m[Measure::kReadyMsSum], m[Measure::kReadyOrders], 1.0, 60000.0);
  r[Kpi::kAvgDeliveryHours] =
      Ratio(m[Measure::kDeliveryMsSum], m[Measure::kDeliveredOrders], 1.0, 3600000.0);
}

// Staff-seconds become hours only here, in doubles: the sums stay exact integers. Net sales (every
// channel of the row) and visitors are divided by the same hours (docs/KPIS.md, "Staffing").
void AddLabour(const Measures& m, KpiRow* row) {
  auto& r = *row;
  const int64_t staff_s = m[Measure::kLabourStaffS];
  r[Kpi::kLabourHours] = KpiValue::Real(static_cast<double>(staff_s) / 3600.0);
  r[Kpi::kSalesPerLabourHour] =
      Ratio(m[Measure::kGrossSales] - m[Measure::kReturnsValue], staff_s, 3600.0);
  r[Kpi::kStar] = Ratio(m[Measure::kFootfallIn], staff_s, 3600.0);
}

}  // namespace

KpiRow MeasureKpis(std::string key, const Measures& m) {
  KpiRow row;
  row.key = std::move(key);
  AddSales(m, &row);
  AddFeedbackAndStock(m, &row);
  AddOrders(m, &row);
  AddLabour(m, &row);
  return row;
}

}  // namespace storepulse::common
