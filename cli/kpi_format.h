// How each KPI of the KPI JSON (SPEC §3, §6) reads in a table: its label and its value's format,
// both from the KPI catalogue (common/kpi/kpi_catalogue.h). Money KPIs (minor units) print as
// currency with 2 decimals, rates (fractions) as percentages with one decimal, scores with one
// decimal, counts with thousands separators, and null (a rate with nothing to divide by) as "–".
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/kpi/kpi_catalogue.h"

namespace storepulse::cli {

// The catalogue's unit of KPI `name`; nothing for a name the catalogue does not list.
std::optional<common::KpiUnit> UnitOfKpi(std::string_view name);

// The catalogue's short label: "Gross sales", "AOV", "Conversion"; for any other name (a
// grouping such as "day"), the name with spaces for underscores and a capital first letter.
std::string KpiLabel(std::string_view name);

// The table text of `value` for KPI `name`: "1,234.56", "23.4%", "42.0", "1,234", "–". A name
// the catalogue does not list prints as a plain number. Arrays and objects (e.g. top_skus) print
// as "(see --json)".
std::string FormatKpi(std::string_view name, const nlohmann::json& value);

}  // namespace storepulse::cli
