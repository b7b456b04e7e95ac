// KPIs from summed base measures (SPEC §3), as one row of the KPI JSON of SPEC §6:
// money as integer minor units, rates as fractions 0–1, nps/csat on their own scales, and null
// for a rate whose denominator is zero. The one KPI formula library for edge, central and CLI.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/kpi/measures.h"

namespace storepulse::common {

// {"key": key, "gross_sales": …, …, "conversion_rate": …} for the sums in `m`.
nlohmann::json KpiRow(const std::string& key, const Measures& m);

}  // namespace storepulse::common
