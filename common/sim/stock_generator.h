// Simulated stock movements of a store: the weekly count of every SKU (Monday, before opening),
// the morning delivery (Monday–Saturday, an hour before opening: best sellers daily, the long tail
// weekly, each about the demand until its next delivery), and during opening hours occasional
// adjustments, shrink and transfers. Pure functions of their inputs; thread-safe.
#pragma once

#include <cstdint>

#include "common/sim/day_plan.h"
#include "common/sim/event_sink.h"
#include "common/sim/sim_model.h"
#include "common/sim/sim_random.h"

namespace storepulse::common::sim {

// Adds the stock events of `slot` (of day `plan`) that fall in the sink's window, numbering them
// from *seq on; draws from the slot's stream `rng`.
void AddStockMovements(const SimModel& model, const DayPlan& plan, int64_t slot, SimRandom& rng,
                       uint64_t* seq, EventSink& sink);

}  // namespace storepulse::common::sim
