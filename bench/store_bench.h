// The edge's storage alone, in-process: the ingest events through edge::EventStore (everything
// the edge does per event once decoded: dedupe, sequence, KPI measures and breakdowns, stock) with
// durability full and no transport — the ceiling the ZeroMQ path can reach. Two shapes of the same
// group commit (4 producers × 4 batches of 1,000 in one transaction):
//   edge_store_append_full         one Append per batch (GroupCommitWriter's former shape);
//   edge_store_append_grouped_full one Append for the whole group, deltas folded once per commit
//                                  (what GroupCommitWriter does now).
#pragma once

#include "bench/bench_plan.h"
#include "common/status.h"

namespace storepulse::bench {

common::Status RunStoreBenches(const Plan& plan, const References& references);

}  // namespace storepulse::bench
