// How many people come through each door of a simulated store in one 15-minute slot, and how many
// sales the slot holds. Each is drawn from the slot's own streams, so the counts of any slot (a
// returned sale's, the previous slot's) can be rebuilt cheaply without generating its events.
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>

#include "common/sim/day_plan.h"
#include "common/sim/sim_model.h"

namespace storepulse::common::sim {

struct SlotTraffic {
  int64_t slot = 0;
  bool open = false;                         // a whole slot of opening hours
  std::array<int64_t, kMaxDoors> door_in{};  // visitors counted in by each door
  int64_t visitors = 0;                      // Σ door_in
  int64_t store_sales = 0;                   // in-store sales: sale indexes [0, store_sales)
  int64_t online_sales = 0;                  // web and mobile: the next `online_sales` indexes

  int64_t sales() const { return store_sales + online_sales; }
};

// Visitors in by door; zeros when the slot is not open. `plan` is the plan of the slot's day.
std::array<int64_t, kMaxDoors> DoorsIn(const SimModel& model, const DayPlan& plan, int64_t slot);

// Footfall and sale counts of a slot. `plan` is the plan of the slot's day.
SlotTraffic TrafficOf(const SimModel& model, const DayPlan& plan, int64_t slot);

}  // namespace storepulse::common::sim
