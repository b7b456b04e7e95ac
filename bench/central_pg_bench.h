// Central on PostgreSQL (issue 10): the central_merge load — 20 stores streaming a backlog at once
// over the wire protocol (bench/wire_load.h) — into storepulse-central running with
// --database postgresql://… on a throwaway PostgreSQL 15 server that this bench starts and stops
// (bench/pg_server.h), beside its reference measured in the same run on the same server: COPY of
// the same rows into a table with only a primary key (bench/pg_copy_reference.h).
//   central_merge_pg    one central; goal: events/s >= 0.3 of the COPY rate
//   central_merge_pg_2  the same load through two centrals over one database (the stores split
//                       between them, the centrals sharing one key pair): what a second adds
// Each with the read model's lag: how long after the last acknowledgement each central's own
// central.db had copied and folded every event (GET /api/v1/fleet central.views) and answered
// the exact count (GET /api/v1/kpi), since that is what a user of central sees.
#pragma once

#include "bench/bench_plan.h"
#include "common/status.h"

namespace storepulse::bench {

common::Status RunCentralPgBenches(const Plan& plan);

}  // namespace storepulse::bench
