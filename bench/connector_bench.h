// The connectors figures (issue 14): what a connector's request costs a real storepulse-edge —
// a 4 MiB FootfallCam CSV export (150,000 counter rows) and a 4 MiB POSLog XML export (about
// 1,300 baskets of 3–5 lines) posted whole to POST /api/v1/connectors/<name>, timed until
// answered — against the same events (mapped by the same connector in this process, before the
// clock starts) posted as JSON Lines to POST /api/v1/events in batches of 10,000. Each request
// goes to a fresh edge (durability full, zone UTC), so the edge's peak RSS (VmHWM) is that
// request's; connector and reference alternate, best of plan.connector_runs each.
#pragma once

#include "bench/bench_plan.h"
#include "common/status.h"

namespace storepulse::bench {

// Prints each reference, then its connector's figure with the ratio.
common::Status RunConnectorBenches(const Plan& plan);

}  // namespace storepulse::bench
