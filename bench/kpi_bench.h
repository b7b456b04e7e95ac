// KPI query latency on the edge (issue 2): a year of history built with the edge's EventStore, a
// real storepulse-edge started on it, and GET /api/v1/kpi for random local days and months of
// that year over one keep-alive HTTP connection — the path store staff use. Figures
// edge_kpi_day_p99_ms and edge_kpi_month_p99_ms (p50, p90, max as extras).
#pragma once

#include "bench/bench_plan.h"
#include "common/status.h"

namespace storepulse::bench {

common::Status RunKpiBenches(const Plan& plan);

}  // namespace storepulse::bench
