// How each KPI of the KPI JSON (SPEC §3, §6) reads in a table: its label and its value's format.
// Money KPIs (integer minor units) print as currency with 2 decimals, rates (fractions) as
// percentages with one decimal, nps/csat with one decimal, counts with thousands separators, and
// null (a rate with nothing to divide by) as "–". Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace storepulse::cli {

enum class KpiKind {
  kMoney,    // gross_sales, returns_value, net_sales, aov, clv, sales_per_m2, any *_value
  kRate,     // any *_rate or *_share, return_rate_units, availability
  kScore,    // nps, csat
  kMinutes,  // any *_minutes
  kNumber,   // everything else: counts, upt, purchase_frequency, stock_turnover
};

KpiKind KindOfKpi(std::string_view name);

// "Gross sales", "AOV", "Conversion"; for a name it does not know, the name with spaces for
// underscores and a capital first letter.
std::string KpiLabel(std::string_view name);

// The table text of `value` for KPI `name`: "1,234.56", "23.4%", "42.0", "1,234", "–".
// Arrays and objects (e.g. top_skus) print as "(see --json)".
std::string FormatKpi(std::string_view name, const nlohmann::json& value);

}  // namespace storepulse::cli
