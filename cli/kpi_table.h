// The human view of a KPI answer (the KPI JSON of SPEC §6): a heading naming the scope, period and
// time zone, then for by=total a two-column "KPI | Value" list of every KPI of the row, and for
// any other grouping a wide table of the key and the main KPIs (or the chosen columns). Staff
// (by=employee) are listed by net sales, products (by=sku) by units sold and categories
// (by=category) by net sales, best first, each with the KPIs that mean something for them;
// products show the catalogue's name beside the SKU, and stop after kMaxSkuRows. Margin columns
// join the main and SKU tables when some row has a margin (a catalogue with costs). The conversion
// of a day on which a known till or counter reported nothing is marked "*", and a note under the
// table names who was missing (docs/KPIS.md, "Completeness").
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/kpi/kpi_catalogue.h"
#include "common/status.h"

namespace storepulse::cli {

// The columns of a wide table when none are chosen.
inline constexpr std::array<common::Kpi, 8> kMainKpis = {
    common::Kpi::kGrossSales, common::Kpi::kNetSales, common::Kpi::kTransactions,
    common::Kpi::kAov,        common::Kpi::kUpt,      common::Kpi::kFootfall,
    common::Kpi::kConversionRate, common::Kpi::kReturnRate};
// Added to kMainKpis when a row has labour: a store that sends no labour sees no empty columns.
inline constexpr std::array<common::Kpi, 3> kLabourKpis = {
    common::Kpi::kLabourHours, common::Kpi::kSalesPerLabourHour, common::Kpi::kStar};
inline constexpr std::array<common::Kpi, 6> kEmployeeKpis = {
    common::Kpi::kGrossSales, common::Kpi::kNetSales, common::Kpi::kTransactions,
    common::Kpi::kAov,        common::Kpi::kUpt,      common::Kpi::kReturnRate};
inline constexpr std::array<common::Kpi, 6> kSkuKpis = {
    common::Kpi::kUnitsSold,     common::Kpi::kNetSales,        common::Kpi::kTransactions,
    common::Kpi::kUnitsReturned, common::Kpi::kReturnRateUnits, common::Kpi::kDefectReturnRate};
// by=category: sales, then cost and margin (docs/KPIS.md, "Cost and margin").
inline constexpr std::array<common::Kpi, 6> kCategoryKpis = {
    common::Kpi::kNetSales,    common::Kpi::kUnitsSold,  common::Kpi::kTransactions,
    common::Kpi::kGrossMargin, common::Kpi::kMarginRate, common::Kpi::kUnitsWithoutCost};
// A store ranges thousands of SKUs: the table shows the best sellers, --json has them all.
inline constexpr size_t kMaxSkuRows = 25;

struct KpiView {
  std::vector<std::string> columns;  // KPI names to show; empty: every KPI (total) or kMainKpis
  std::string timezone;              // shown in the heading when known
};

// "Store S1 — 2026-11-22 (Europe/Paris)". A period of whole local days shows its first and last
// day ("2026-11-01 to 2026-11-07" for from=2026-11-01, to=2026-11-08); instants show as given.
std::string KpiHeading(const nlohmann::json& answer, const std::string& timezone);

// Heading, blank line, table. InvalidArgument when a chosen column is not a KPI; Internal when
// `answer` does not have the KPI JSON's shape.
common::StatusOr<std::string> RenderKpiAnswer(const nlohmann::json& answer, const KpiView& view);

// The names of `kpis`, as --columns takes them.
template <size_t N>
std::vector<std::string> KpiNames(const std::array<common::Kpi, N>& kpis) {
  std::vector<std::string> names;
  for (common::Kpi kpi : kpis) names.emplace_back(common::KpiName(kpi));
  return names;
}

// "gross_sales, aov" → {"gross_sales", "aov"}; empty items are dropped.
std::vector<std::string> SplitColumns(std::string_view text);

}  // namespace storepulse::cli
