// Simulated sales and the returns of them. Sale i of a slot draws from its own stream, so a return
// handled weeks later can rebuild the very sale it returns (same txn, lines, customer, channel).
// Pure functions of their inputs; thread-safe apart from the PlanCache they are given.
#pragma once

#include <cstdint>

#include "common/event.h"
#include "common/sim/day_plan.h"
#include "common/sim/event_sink.h"
#include "common/sim/sim_model.h"
#include "common/sim/sim_random.h"
#include "common/sim/slot_traffic.h"

namespace storepulse::common::sim {

// Defers in `sink` the slot's sales that fall in its window (tag = sale index): in-store sales
// (indexes [0, store_sales), at a till, some identified) then web and mobile sales (identified).
void DeferSales(const SimModel& model, const SlotTraffic& traffic, EventSink& sink);

// Fills sale `index` of the slot, whose id, type, ts and store are already set.
void BuildSale(const SimModel& model, const DayPlan& plan, const SlotTraffic& traffic,
               int64_t index, Event* sale);

// Rebuilds sale `index` of a past slot into `sale` (its id, txn, channel, customer and lines).
void RebuildSale(const SimModel& model, const DayPlan& plan, const SlotTraffic& traffic,
                 int64_t index, Event* sale);

// Adds one return, numbered `number`, at a till during open slot `slot`: of a store purchase
// 1–4 weeks old, or (web_return_share) of a web or mobile purchase 2–28 days old; some or all of
// its lines; restocked unless defective or damaged. `key` seeds the return's stream.
void AddReturn(const SimModel& model, PlanCache& plans, int64_t slot, uint64_t number, uint64_t key,
               EventSink& sink);

}  // namespace storepulse::common::sim
