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
#include "common/sim/slot_traffic.h"

namespace storepulse::common::sim {

// What building the slot's deferred sales needs (BuildSale).
struct SlotSales {
  const DayPlan* plan;  // owned by the PlanCache
  SlotTraffic traffic;
};

// Adds the events of `slot` that fall in the sink's window, its sales deferred.
SlotSales GenerateSlot(const SimModel& model, PlanCache& plans, int64_t slot, EventSink& sink);

}  // namespace storepulse::common::sim
