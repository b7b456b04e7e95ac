// central_kpi_network_month_p99_ms and central_kpi_rss_mb: month KPI queries of the whole network
// (by=total, by=region, by=store) against a real storepulse-central started on a network history
// (bench/network_history.h), with central's memory during and after them.
#pragma once

#include "bench/bench_plan.h"
#include "common/status.h"

namespace storepulse::bench {

common::Status RunNetworkKpiBenches(const Plan& plan);

}  // namespace storepulse::bench
