// KPIs from summed base measures (SPEC §3), as one row of the KPI JSON of SPEC §6:
// money as integer minor units, rates as fractions 0–1, nps/csat on their own scales, and null
// for a rate whose denominator is zero. The one KPI formula library for edge, central and CLI.
// Formulas, units and null rules are listed in docs/KPIS.md. Stateless; thread-safe.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/kpi/measures.h"

namespace storepulse::common {

// The KPI names of a row, in the order tables and dashboards show them. (A row is an
// nlohmann::json object, which keeps its keys sorted by name; this list is the display order.)
// clang-format off
inline constexpr std::array<std::string_view, 36> kKpiNames = {
    "gross_sales",          "returns_value",
    "net_sales",            "transactions",
    "units_sold",           "units_returned",
    "aov",                  "upt",
    "footfall",             "conversion_rate",
    "return_rate",          "return_rate_units",
    "web_returns_in_store", "web_returns_in_store_value",
    "nps",                  "nps_responses",
    "csat",                 "csat_responses",
    "availability",         "out_of_stock_skus",  // stock_kpis.h
    "stock_turnover",       "shrink_units",
    "cc_orders",            "cc_warehouse_share",
    "sfs_orders",           "sfs_stock_cancel_rate",
    "promise_kept_rate",    "avg_late_minutes",
    "customers",            "new_customers",
    "recruitment_rate",     "purchase_frequency",
    "clv",                  "identified_transactions",
    "identified_net_sales", "sales_per_m2"};
// clang-format on

// {"key": key, "gross_sales": …, …, "avg_late_minutes": …} for the sums in `m`: every name of
// kKpiNames, each computed from the sums only (never a mean of ratios).
nlohmann::json KpiRow(const std::string& key, const Measures& m);

}  // namespace storepulse::common
