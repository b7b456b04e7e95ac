// Central under load (issue 3), a real storepulse-central (CURVE, durability full) fed by the
// WireLoad generator: central_merge — many stores streaming a backlog at once, events/s committed
// against sqlite_insert_full — and fleet_1000_edges — 1,000 stores connected at once, each sending
// small batches periodically: events/s applied, p99 ack latency and central's resident memory.
#pragma once

#include "bench/bench_plan.h"
#include "common/status.h"

namespace storepulse::bench {

common::Status RunCentralBenches(const Plan& plan, const References& references);

}  // namespace storepulse::bench
