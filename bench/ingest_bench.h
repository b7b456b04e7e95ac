// The edge ingest figures (issue 2): the raw SQLite references, events/s through a real
// storepulse-edge over ZeroMQ/msgpack (durability full and normal) and HTTP/JSON Lines, the
// decoders alone, and the edge's resident memory after the ingest. Every figure uses the same
// events, so the reference stores exactly the rows the edge stores.
#pragma once

#include <vector>

#include "bench/bench_plan.h"
#include "bench/bench_report.h"
#include "common/status.h"

namespace storepulse::bench {

// Prints each figure as it is measured; fills `references` for the later benches. With
// `references_only`, measures and prints the references alone.
common::Status RunIngestBenches(const Plan& plan, bool references_only, References* references);

}  // namespace storepulse::bench
