// KPIs from summed base measures (SPEC §3), as one typed KPI row (common/kpi/kpi_row.h): money as
// integer minor units, rates as fractions 0–1, nps/csat on their own scales, and null for a rate
// whose denominator is zero. The one KPI formula library for edge, central and CLI. Formulas,
// units and null rules are listed in docs/KPIS.md. Stateless; thread-safe.
#pragma once

#include <string>

#include "common/kpi/kpi_row.h"
#include "common/kpi/measures.h"

namespace storepulse::common {

// The row `key` for the sums in `m`: every KPI of the catalogue (common/kpi/kpi_catalogue.h)
// that the sums alone give, each computed from the sums only (never a mean of ratios). The others
// (stock, customers, sales per m²) stay null: the query engine adds them from their own sources.
KpiRow MeasureKpis(std::string key, const Measures& m);

}  // namespace storepulse::common
