// Folds a store's order events into their orders (common/kpi/order_lifecycle.h) and the base
// measures: each order touched is loaded as stored, the events are applied, and the measures get
// the new state's settled figures minus the stored state's. So a late event that changes an
// order's figures (an earlier `ready`, a promise on a `created` that arrives after the `ready`)
// retracts what the order added and adds it again, on the day of the event that now settles it.
// The view pass (stored state: the order table) and the pending tail (the stored state, the
// pending events in memory) run this same fold. Plain function; the loader is called on the
// caller's thread.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/event.h"
#include "common/kpi/measures.h"
#include "common/kpi/order_lifecycle.h"
#include "common/status.h"

namespace storepulse::common {

// The stored state of an order of the store; nothing when none is stored.
using OrderLoader = std::function<StatusOr<std::optional<OrderState>>(const std::string& order)>;

// Folds the order events among `events` (other types are skipped): `deltas` gets what they change
// in the measures (negative where figures are retracted; rows that net to zero are dropped) and
// `changed` the new state of each order whose state they changed. OutOfRange when a sum would
// overflow (then `deltas` may hold part of the fold: the caller drops it).
Status FoldOrders(const std::vector<const Event*>& events, const OrderLoader& load,
                  MeasureDeltas* deltas, std::map<std::string, OrderState>* changed);

}  // namespace storepulse::common
