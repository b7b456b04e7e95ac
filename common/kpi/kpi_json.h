// The KPI JSON of the HTTP API (SPEC §6), made here and only here: the engine hands out typed
// values, the HTTP handlers (and the CLI's --data-dir mode, which prints what the API would)
// turn them into JSON with these functions. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

namespace storepulse::common {

// GET /api/v1/kpis: the KPI catalogue (common/kpi/kpi_catalogue.h), in display order —
//   {"kpis":[{"name":"aov", "label":"Average basket", "short_label":"AOV", "unit":"money",
//             "number":"real", "higher_is_better":true, "cumulative":false,
//             "may_be_approximate":false}, …],
//    "units":{"money":"<what a value of that unit is>", …}}
// Documented in docs/KPIS.md ("The KPI catalogue").
const nlohmann::json& KpiCatalogueJson();

}  // namespace storepulse::common
