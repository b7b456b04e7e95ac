// Simulated omnichannel orders: one event per status change, each at its own time, the whole life
// of an order drawn from its own stream when it is created. The promise rides on `created` only,
// as OMSs send it (the KPIs judge the order, common/kpi/order_lifecycle.h).
//
//   click & collect:  created → ready → collected (the sale, channel click_collect, is booked at
//                     collection); 7% cancelled instead (customer 55%, stock_error 30%, other
//                     15%). 70% are picked from store stock (promised ready 2 opening hours after
//                     the order, 6% late), 30% come from the warehouse (promised 4 opening hours
//                     after the next morning, 12% late).
//   ship-from-store:  created → shipped (the sale, channel ship_from_store) → delivered by a
//                     carrier (08:00–20:00, 1–3 days later), promised by 20:00 on the third day;
//                     3% cancelled for stock_error, 1% by the customer.
//
// Orders are created around the clock with the online curve; store work (ready, collected,
// shipped) happens in opening hours. An order's events fall at most kOrderHorizonMs after its
// creation slot starts (later steps are dropped), so a window [from, to) needs the orders created
// from kOrderHorizonMs before `from`. Thread-safe apart from the PlanCache it is given.
#pragma once

#include <cstdint>

#include "common/sim/day_plan.h"
#include "common/sim/event_sink.h"
#include "common/sim/sim_ids.h"
#include "common/sim/sim_model.h"

namespace storepulse::common::sim {

inline constexpr int64_t kOrderHorizonMs = 6 * kDayMs;

// Adds the events, within the sink's window, of the orders created in slots [first, last].
void AddOrders(const SimModel& model, PlanCache& plans, int64_t first_slot, int64_t last_slot,
               EventSink& sink);

}  // namespace storepulse::common::sim
