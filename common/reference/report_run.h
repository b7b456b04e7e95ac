// Running a report of the `reports` document (common/reference/report_definitions.h): the KPI
// request its period and grouping make for a store's local today, and the KPI answer cut to its
// KPIs. The edge runs a report over its own store; the answer equals GET /api/v1/kpi over the same
// dates and grouping, with only the report's KPIs. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "common/kpi/kpi_answer.h"
#include "common/kpi/kpi_query.h"
#include "common/reference/report_definitions.h"

namespace storepulse::common {

// The KPI request that runs `report` for a store whose local today is `today`: its period as
// local dates (from the first day, to the day after the last), its grouping.
KpiRequest ReportRequest(const ReportDefinition& report, int64_t today);

// `answer` as the KPI JSON (common/kpi/kpi_json.h) with only the report's KPIs in each row, its
// comparison and its `approximate` list, plus {"report":{<ReportJson>}}.
nlohmann::json ReportAnswerJson(const ReportDefinition& report, const KpiAnswer& answer);

}  // namespace storepulse::common
