// The human view of a KPI answer with a like-for-like comparison (`compare=previous_week|
// previous_year`, common/kpi/kpi_compare.h): the heading, the period compared with, then for
// by=total "KPI | Value | Previous | Change" for every KPI, and for other groupings the key and,
// for each chosen KPI, its value and its change. A change is relative for sums and amounts
// ("+12.5%") and in points for rates and scores ("-1.2 pt": 20.0% → 18.8%). Pure functions;
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "cli/kpi_table.h"
#include "common/status.h"

namespace storepulse::cli {

// The KPIs a comparison table shows when none are chosen (by other than total).
inline constexpr std::array<common::Kpi, 4> kCompareKpis = {
    common::Kpi::kGrossSales, common::Kpi::kNetSales, common::Kpi::kTransactions,
    common::Kpi::kConversionRate};

// Whether `answer` holds a comparison ("compare" and rows with "previous").
bool HasComparison(const nlohmann::json& answer);

// Heading, the compared period, blank line, table. InvalidArgument for a chosen column that is
// not a KPI; Internal when `answer` does not have the KPI JSON's shape.
common::StatusOr<std::string> RenderComparison(const nlohmann::json& answer, const KpiView& view);

// The change of KPI `name` in a compared row: "+12.5%", "-1.2 pt", "–" (nothing to compare).
std::string FormatChange(std::string_view name, const nlohmann::json& row);

}  // namespace storepulse::cli
