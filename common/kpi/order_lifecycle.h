// An order as a lifecycle (docs/KPIS.md, "Orders"): what is known of one order from all its events,
// whatever order they arrive in, and the figures it adds to the base measures once it is settled.
//
// Every "first" is the earliest event by `ts`; between events with the same `ts`, the one with the
// smallest id. So applying the same events in any order, or one twice, gives the same state: the
// view pass and the pending tail (which fold different groupings of the same events) agree.
// Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/event.h"
#include "common/kpi/measures.h"

namespace storepulse::common {

// Where an event stands among an order's events: by `ts`, then by id.
struct EventMark {
  int64_t ts = 0;
  std::string id;
  bool Before(const EventMark& other) const {
    return ts < other.ts || (ts == other.ts && id < other.id);
  }
  bool operator==(const EventMark&) const = default;
};

struct OrderState {
  std::optional<EventMark> first;  // the order's first event: its kind and source are the order's
  OrderKind kind = OrderKind::kClickCollect;
  OrderSource source = OrderSource::kStore;
  std::optional<int64_t> created_ms;    // the earliest `created`
  std::optional<EventMark> promise;     // the first event that carries `promised`
  std::optional<int64_t> promised_ms;   // … its promise
  std::optional<int64_t> ready_ms;      // the earliest `ready`
  std::optional<int64_t> collected_ms;  // the earliest `collected`
  std::optional<int64_t> delivered_ms;  // the earliest `delivered`
  std::optional<EventMark> cancelled;   // the first `cancelled`
  std::string reason;                   // … its reason

  bool operator==(const OrderState&) const = default;
};

// Adds an order event of this order to the state. REQUIRES: a validated event of type order.
void ApplyOrderEvent(const Event& event, OrderState* state);

// When the order reached its fulfilment status — `ready` for click & collect and reserve (the goods
// wait for the customer), `delivered` for ship-from-store —; nothing while it has not.
std::optional<int64_t> FulfilledMs(const OrderState& state);

// Neither fulfilled, collected nor cancelled, and `now_ms` is past its promise.
bool IsOverdue(const OrderState& state, int64_t now_ms);

// What a settled order adds to the base measures, in the 15-minute bucket of its fulfilment and the
// channel of its kind: promises_judged (with a promise), promises_kept (fulfilled at or before it)
// or late_ms_sum; ready_orders and ready_ms_sum, or delivered_orders and delivery_ms_sum (with a
// created time not after the fulfilment). Nothing while the order is not fulfilled.
struct OrderFigures {
  BucketKey key;
  Measures m;
};
std::optional<OrderFigures> SettledFigures(const OrderState& state);

}  // namespace storepulse::common
