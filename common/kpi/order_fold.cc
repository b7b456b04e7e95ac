#include "common/kpi/order_fold.h"

namespace storepulse::common {
namespace {

Measures Negated(const Measures& m) {
  Measures out;
  // Figures of one order are at most a duration in ms: far inside the int64 range either sign.
  for (size_t i = 0; i < kMeasureCount; ++i) out.v[i] = -m.v[i];
  return out;
}

Status AddFigures(const std::optional<OrderFigures>& figures, bool retract, MeasureDeltas* deltas) {
  if (!figures) return OkStatus();
  return (*deltas)[figures->key].Add(retract ? Negated(figures->m) : figures->m);
}

}  // namespace

Status FoldOrders(const std::vector<const Event*>& events, const OrderLoader& load,
                  MeasureDeltas* deltas, std::map<std::string, OrderState>* changed) {
  std::map<std::string, std::vector<const Event*>> by_order;
  for (const Event* e : events) {
    if (e->type == EventType::kOrder) by_order[e->order].push_back(e);
  }
  for (const auto& [order, order_events] : by_order) {
    ASSIGN_OR_RETURN(std::optional<OrderState> stored, load(order));
    OrderState state = stored.value_or(OrderState{});
    for (const Event* e : order_events) ApplyOrderEvent(*e, &state);
    if (stored && state == *stored) continue;
    if (stored) RETURN_IF_ERROR(AddFigures(SettledFigures(*stored), true, deltas));
    RETURN_IF_ERROR(AddFigures(SettledFigures(state), false, deltas));
    (*changed)[order] = std::move(state);
  }
  for (auto it = deltas->begin(); it != deltas->end();) {
    it = it->second.IsZero() ? deltas->erase(it) : std::next(it);
  }
  return OkStatus();
}

}  // namespace storepulse::common
