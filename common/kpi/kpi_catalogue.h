// The KPI catalogue: every KPI of a KPI row (SPEC §3, §6) listed once, in display order, with
// what a reader needs to show it and judge it — its JSON name, a label for people, its unit,
// whether more is better, whether it accumulates over a period and whether it may be an estimate.
// The KPI engine fills rows indexed by `Kpi`; the CLI's tables, central's target traits, the tests
// and (through GET /api/v1/kpis, common/kpi/kpi_json.h) both dashboards read this table instead
// of lists of their own. Adding a KPI is one line here plus its formula. Constant; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace storepulse::common {

// The KPIs, in display order. kKpiCatalogue holds one entry per value, at its index.
enum class Kpi : uint8_t {
  kGrossSales,
  kReturnsValue,
  kNetSales,
  kTransactions,
  kUnitsSold,
  kUnitsReturned,
  kAov,
  kUpt,
  kFootfall,
  kConversionRate,
  kReturnRate,
  kReturnRateUnits,
  kDefectReturnRate,
  kWebReturnsInStore,
  kWebReturnsInStoreValue,
  kNps,
  kNpsResponses,
  kCsat,
  kCsatResponses,
  kAvailability,
  kOutOfStockSkus,
  kStockTurnover,
  kShrinkUnits,
  kCcOrders,
  kCcWarehouseShare,
  kSfsOrders,
  kSfsStockCancelRate,
  kPromiseKeptRate,
  kAvgLateMinutes,
  kAvgReadyMinutes,
  kAvgDeliveryHours,
  kCustomers,
  kNewCustomers,
  kRecruitmentRate,
  kPurchaseFrequency,
  kClv,
  kIdentifiedTransactions,
  kIdentifiedNetSales,
  kOmnichannelCustomers,
  kOmnichannelShare,
  kRetentionRate,
  kSalesPerM2,
  kLabourHours,
  kSalesPerLabourHour,
  kStar,
  kCogs,
  kGrossMargin,
  kMarginRate,
  kUnitsWithoutCost,
};
inline constexpr size_t kKpiCount = static_cast<size_t>(Kpi::kUnitsWithoutCost) + 1;

// What a KPI's number measures, and so how it is shown.
enum class KpiUnit : uint8_t {
  kMoney,         // minor units of the store's currency (cents): 123456 is 1,234.56
  kMoneyPerM2,    // minor units per m² of sales area
  kCount,         // things counted: sales, units, visitors, customers, SKUs
  kRatio,         // a quotient of counts that is not a share (units per sale, sales per customer)
  kRate,          // a fraction, 0–1 as a rule (may leave it at a period's edges); shown as %
  kScore,         // a net score, −100 … 100 (nps)
  kPercent,       // a share already scaled to 0 … 100 (csat)
  kMinutes,       // a duration in minutes
  kHours,         // hours, worked (staff-hours) or elapsed: 7.5 is seven and a half hours
  kMoneyPerHour,  // minor units of the store's currency per hour worked
};

// The JSON number type of a KPI's value (null aside): money sums and counts are exact integers,
// quotients are doubles.
enum class KpiNumber : uint8_t { kInteger, kReal };

struct KpiInfo {
  Kpi kpi;
  std::string_view name;         // the name in the KPI JSON: "conversion_rate"
  std::string_view label;        // for people: "Average basket"
  std::string_view short_label;  // for a table column: "AOV" (often the label itself)
  KpiUnit unit;
  KpiNumber number;
  bool higher_is_better;    // false: returns, shrink, cancellations, lateness, …
  bool cumulative;          // grows as the period runs (a sum, or distinct customers so far)
  bool may_be_approximate;  // may come from a sketch over many days or stores (docs/KPIS.md)
};

// clang-format off
inline constexpr std::array<KpiInfo, kKpiCount> kKpiCatalogue = {{
  // kpi / name / label / short label / unit / number / higher is better / cumulative / approx.
  {Kpi::kGrossSales, "gross_sales", "Gross sales", "Gross sales",
   KpiUnit::kMoney, KpiNumber::kInteger, true, true, false},
  {Kpi::kReturnsValue, "returns_value", "Returns", "Returns",
   KpiUnit::kMoney, KpiNumber::kInteger, false, true, false},
  {Kpi::kNetSales, "net_sales", "Net sales", "Net sales",
   KpiUnit::kMoney, KpiNumber::kInteger, true, true, false},
  {Kpi::kTransactions, "transactions", "Transactions", "Transactions",
   KpiUnit::kCount, KpiNumber::kInteger, true, true, false},
  {Kpi::kUnitsSold, "units_sold", "Units sold", "Units sold",
   KpiUnit::kCount, KpiNumber::kInteger, true, true, false},
  {Kpi::kUnitsReturned, "units_returned", "Units returned", "Units returned",
   KpiUnit::kCount, KpiNumber::kInteger, false, true, false},
  {Kpi::kAov, "aov", "Average basket", "AOV",
   KpiUnit::kMoney, KpiNumber::kReal, true, false, false},
  {Kpi::kUpt, "upt", "Units per transaction", "UPT",
   KpiUnit::kRatio, KpiNumber::kReal, true, false, false},
  {Kpi::kFootfall, "footfall", "Footfall", "Footfall",
   KpiUnit::kCount, KpiNumber::kInteger, true, true, false},
  {Kpi::kConversionRate, "conversion_rate", "Conversion", "Conversion",
   KpiUnit::kRate, KpiNumber::kReal, true, false, false},
  {Kpi::kReturnRate, "return_rate", "Return rate", "Return rate",
   KpiUnit::kRate, KpiNumber::kReal, false, false, false},
  {Kpi::kReturnRateUnits, "return_rate_units", "Return rate (units)", "Return rate (units)",
   KpiUnit::kRate, KpiNumber::kReal, false, false, false},
  {Kpi::kDefectReturnRate, "defect_return_rate", "Defect return rate (units)", "Defect returns",
   KpiUnit::kRate, KpiNumber::kReal, false, false, false},
  {Kpi::kWebReturnsInStore, "web_returns_in_store", "Web returns in store",
   "Web returns in store", KpiUnit::kCount, KpiNumber::kInteger, true, true, false},
  {Kpi::kWebReturnsInStoreValue, "web_returns_in_store_value", "Web returns in store (value)",
   "Web returns in store (value)", KpiUnit::kMoney, KpiNumber::kInteger, true, true, false},
  {Kpi::kNps, "nps", "NPS", "NPS",
   KpiUnit::kScore, KpiNumber::kReal, true, false, false},
  {Kpi::kNpsResponses, "nps_responses", "NPS responses", "NPS responses",
   KpiUnit::kCount, KpiNumber::kInteger, true, true, false},
  {Kpi::kCsat, "csat", "CSAT", "CSAT",
   KpiUnit::kPercent, KpiNumber::kReal, true, false, false},
  {Kpi::kCsatResponses, "csat_responses", "CSAT responses", "CSAT responses",
   KpiUnit::kCount, KpiNumber::kInteger, true, true, false},
  {Kpi::kAvailability, "availability", "Availability", "Availability",
   KpiUnit::kRate, KpiNumber::kReal, true, false, false},
  {Kpi::kOutOfStockSkus, "out_of_stock_skus", "Out-of-stock SKUs", "Out-of-stock SKUs",
   KpiUnit::kCount, KpiNumber::kInteger, false, false, false},
  {Kpi::kStockTurnover, "stock_turnover", "Stock turnover", "Stock turnover",
   KpiUnit::kRatio, KpiNumber::kReal, true, false, false},
  {Kpi::kShrinkUnits, "shrink_units", "Shrink (units)", "Shrink (units)",
   KpiUnit::kCount, KpiNumber::kInteger, false, true, false},
  {Kpi::kCcOrders, "cc_orders", "Click & collect orders", "Click & collect orders",
   KpiUnit::kCount, KpiNumber::kInteger, true, true, false},
  {Kpi::kCcWarehouseShare, "cc_warehouse_share", "C&C from warehouse", "C&C from warehouse",
   KpiUnit::kRate, KpiNumber::kReal, false, false, false},
  {Kpi::kSfsOrders, "sfs_orders", "Ship-from-store orders", "Ship-from-store orders",
   KpiUnit::kCount, KpiNumber::kInteger, true, true, false},
  {Kpi::kSfsStockCancelRate, "sfs_stock_cancel_rate", "Ship-from-store stock cancels",
   "SFS stock cancels", KpiUnit::kRate, KpiNumber::kReal, false, false, false},
  {Kpi::kPromiseKeptRate, "promise_kept_rate", "Promises kept", "Promises kept",
   KpiUnit::kRate, KpiNumber::kReal, true, false, false},
  {Kpi::kAvgLateMinutes, "avg_late_minutes", "Average lateness (minutes)", "Avg lateness (min)",
   KpiUnit::kMinutes, KpiNumber::kReal, false, false, false},
  {Kpi::kAvgReadyMinutes, "avg_ready_minutes", "Average time to ready (minutes)",
   "Avg to ready (min)", KpiUnit::kMinutes, KpiNumber::kReal, false, false, false},
  {Kpi::kAvgDeliveryHours, "avg_delivery_hours", "Average time to delivery (hours)",
   "Avg to delivery (h)", KpiUnit::kHours, KpiNumber::kReal, false, false, false},
  {Kpi::kCustomers, "customers", "Customers", "Customers",
   KpiUnit::kCount, KpiNumber::kInteger, true, true, true},
  {Kpi::kNewCustomers, "new_customers", "New customers", "New customers",
   KpiUnit::kCount, KpiNumber::kInteger, true, true, false},
  {Kpi::kRecruitmentRate, "recruitment_rate", "Recruitment rate", "Recruitment rate",
   KpiUnit::kRate, KpiNumber::kReal, true, false, false},
  {Kpi::kPurchaseFrequency, "purchase_frequency", "Purchase frequency", "Purchase frequency",
   KpiUnit::kRatio, KpiNumber::kReal, true, false, true},
  {Kpi::kClv, "clv", "Customer lifetime value", "CLV",
   KpiUnit::kMoney, KpiNumber::kReal, true, false, true},
  {Kpi::kIdentifiedTransactions, "identified_transactions", "Identified transactions",
   "Identified transactions", KpiUnit::kCount, KpiNumber::kInteger, true, true, false},
  {Kpi::kIdentifiedNetSales, "identified_net_sales", "Identified net sales",
   "Identified net sales", KpiUnit::kMoney, KpiNumber::kInteger, true, true, false},
  {Kpi::kOmnichannelCustomers, "omnichannel_customers", "Omnichannel customers",
   "Omnichannel customers", KpiUnit::kCount, KpiNumber::kInteger, true, true, false},
  {Kpi::kOmnichannelShare, "omnichannel_share", "Omnichannel share", "Omnichannel share",
   KpiUnit::kRate, KpiNumber::kReal, true, false, false},
  {Kpi::kRetentionRate, "retention_rate", "Retention rate", "Retention",
   KpiUnit::kRate, KpiNumber::kReal, true, false, false},
  {Kpi::kSalesPerM2, "sales_per_m2", "Sales per m²", "Sales per m²",
   KpiUnit::kMoneyPerM2, KpiNumber::kReal, true, true, false},
  // Staffing (docs/KPIS.md): hours are a cost to keep to its budget, and a STAR above its target
  // means too few staff for the shoppers, so neither is better higher.
  {Kpi::kLabourHours, "labour_hours", "Labour hours", "Labour h",
   KpiUnit::kHours, KpiNumber::kReal, false, true, false},
  {Kpi::kSalesPerLabourHour, "sales_per_labour_hour", "Net sales per labour hour", "Sales/labour h",
   KpiUnit::kMoneyPerHour, KpiNumber::kReal, true, false, false},
  {Kpi::kStar, "star", "Shoppers per staff hour (STAR)", "STAR",
   KpiUnit::kRatio, KpiNumber::kReal, false, false, false},
  // Cost and margin (docs/KPIS.md): from the SKU rows and the catalogue's cost in force on each
  // local day; null, with the units that had no cost, rather than a wrong margin.
  {Kpi::kCogs, "cogs", "Cost of goods sold", "COGS",
   KpiUnit::kMoney, KpiNumber::kInteger, false, true, false},
  {Kpi::kGrossMargin, "gross_margin", "Gross margin", "Margin",
   KpiUnit::kMoney, KpiNumber::kInteger, true, true, false},
  {Kpi::kMarginRate, "margin_rate", "Margin rate", "Margin %",
   KpiUnit::kRate, KpiNumber::kReal, true, false, false},
  {Kpi::kUnitsWithoutCost, "units_without_cost", "Units without a cost", "Units w/o cost",
   KpiUnit::kCount, KpiNumber::kInteger, false, true, false},
}};
// clang-format on

// The catalogue's entry of `kpi`.
constexpr const KpiInfo& InfoOf(Kpi kpi) { return kKpiCatalogue[static_cast<size_t>(kpi)]; }
constexpr std::string_view KpiName(Kpi kpi) { return InfoOf(kpi).name; }

// The KPI named `name` in the KPI JSON; nothing for any other name.
std::optional<Kpi> FindKpi(std::string_view name);

// "money", "money_per_m2", "count", "ratio", "rate", "score", "percent", "minutes", "hours",
// "money_per_hour": the unit's name in GET /api/v1/kpis.
std::string_view KpiUnitName(KpiUnit unit);

// Every KPI, in display order, for range-for loops: `for (Kpi kpi : AllKpis())`.
constexpr std::array<Kpi, kKpiCount> AllKpis() {
  std::array<Kpi, kKpiCount> all{};
  for (size_t i = 0; i < kKpiCount; ++i) all[i] = static_cast<Kpi>(i);
  return all;
}

}  // namespace storepulse::common
