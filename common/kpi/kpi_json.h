// The KPI JSON of the HTTP API (SPEC §6), made here and only here: the engine hands out typed
// answers (common/kpi/kpi_answer.h), the HTTP handlers (and the CLI's --data-dir mode, which
// prints what the API would) turn them into JSON with these functions. Pure functions;
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "common/kpi/kpi_answer.h"

namespace storepulse::common {

// GET /api/v1/kpi, SPEC §6 — money and counts as integers, quotients as doubles, null for a KPI
// with nothing to divide by or no source:
//   {"from":"2026-11-22"|null, "to":…, "scope":…, "by":…,
//    "rows":[{"key":…, "<kpi>":value for every KPI of the catalogue,
//             "approximate":["customers", …]  (only when some figure of the row is an estimate),
//             "completeness":{"complete":true|false|null, "known":n,
//                             "missing":[{"kind":"counter", "id":"2", "label":"door counter 2"}]}
//               (one store's whole local day only: by=day, or by=total over one day),
//             with a comparison also "previous":{<the earlier row>},
//             "delta":{"<kpi>":…}, "change":{"<kpi>":…}}],
//    "top_skus":{"by_units":[{"sku":…, "name":…, "category":…, "units_sold":n}],
//                "by_value":[{"sku":…, "name":…, "category":…, "net_sales":n}]} (by=sku only),
//    by=sku rows also carry "name", "category", "brand" (null for a SKU the catalogue lacks),
//    "catalogue":{"version":…, "received_at":RFC 3339, "age_s":n} | null (the catalogue the
//               answer used: names, categories, costs),
//    "compare":{"with":…, "days":n, "from":…, "to":…} (with a comparison only)}
// Documented in docs/KPIS.md.
nlohmann::json KpiAnswerJson(const KpiAnswer& answer);

// One row as it appears in KpiAnswerJson (without its comparison).
nlohmann::json KpiRowJson(const KpiRow& row);

// A day row's "completeness" as it appears in KpiAnswerJson.
nlohmann::json CompletenessJson(const DayCompleteness& day);

// null, an integer or a double.
nlohmann::json KpiValueJson(const KpiValue& value);

// GET /api/v1/kpis: the KPI catalogue (common/kpi/kpi_catalogue.h), in display order —
//   {"kpis":[{"name":"aov", "label":"Average basket", "short_label":"AOV", "unit":"money",
//             "number":"real", "higher_is_better":true, "cumulative":false,
//             "may_be_approximate":false}, …],
//    "units":{"money":"<what a value of that unit is>", …}}
// Documented in docs/KPIS.md ("The KPI catalogue").
const nlohmann::json& KpiCatalogueJson();

}  // namespace storepulse::common
