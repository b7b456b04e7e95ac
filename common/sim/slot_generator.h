// Everything a simulated store does in one 15-minute slot, apart from the later steps of its
// orders (order_generator.h): footfall per door, sales, returns, stock movements and feedback.
// A slot's events all fall inside the slot and depend only on (store, seed, slot), so a slot
// generates the same events in whatever window it is asked for. Thread-safe apart from the
// PlanCache it is given.
#pragma once

#include <cstdint>

#include "common/sim/day_plan.h"
#include "common/sim/event_sink.h"
#include "common/sim/sim_model.h"

namespace storepulse::common::sim {

// Adds the events of `slot` that fall in the sink's window.
void GenerateSlot(const SimModel& model, PlanCache& plans, int64_t slot, EventSink& sink);

}  // namespace storepulse::common::sim
