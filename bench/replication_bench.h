// Replication edge → central (issue 3) with real daemons, CURVE on and durability full on both
// sides: an edge database holding N unsent events (built with the edge's EventStore, spread over
// the last 24 hours: a store that was offline for a day), a fresh central, then the edge started
// towards it; timed from the edge's start until central has acknowledged every event (the edge's
// /api/v1/status replication.acked_seq). Figures replication_full (events/s against
// sqlite_insert_full) and catchup_200k_s.
#pragma once

#include "bench/bench_plan.h"
#include "common/status.h"

namespace storepulse::bench {

common::Status RunReplicationBenches(const Plan& plan, const References& references);

}  // namespace storepulse::bench
