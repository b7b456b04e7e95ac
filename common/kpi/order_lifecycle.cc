#include "common/kpi/order_lifecycle.h"

namespace storepulse::common {
namespace {

void KeepEarliest(int64_t ts, std::optional<int64_t>* first) {
  if (!*first || ts < **first) *first = ts;
}

// True when `mark` becomes the first.
bool KeepFirst(const EventMark& mark, std::optional<EventMark>* first) {
  if (*first && !mark.Before(**first)) return false;
  *first = mark;
  return true;
}

}  // namespace

void ApplyOrderEvent(const Event& e, OrderState* s) {
  const EventMark mark{e.ts_ms, e.id};
  if (KeepFirst(mark, &s->first)) {
    s->kind = e.order_kind;
    s->source = e.source;
  }
  if (e.promised_ms && KeepFirst(mark, &s->promise)) s->promised_ms = e.promised_ms;
  switch (e.status) {
    case OrderStatus::kCreated:
      KeepEarliest(e.ts_ms, &s->created_ms);
      break;
    case OrderStatus::kReady:
      KeepEarliest(e.ts_ms, &s->ready_ms);
      break;
    case OrderStatus::kCollected:
      KeepEarliest(e.ts_ms, &s->collected_ms);
      break;
    case OrderStatus::kDelivered:
      KeepEarliest(e.ts_ms, &s->delivered_ms);
      break;
    case OrderStatus::kCancelled:
      if (KeepFirst(mark, &s->cancelled)) s->reason = e.reason;
      break;
    case OrderStatus::kShipped:
      break;
  }
}

std::optional<int64_t> FulfilledMs(const OrderState& s) {
  return s.kind == OrderKind::kShipFromStore ? s.delivered_ms : s.ready_ms;
}

bool IsOverdue(const OrderState& s, int64_t now_ms) {
  return s.promised_ms && !FulfilledMs(s) && !s.collected_ms && !s.cancelled &&
         now_ms > *s.promised_ms;
}

std::optional<OrderFigures> SettledFigures(const OrderState& s) {
  const std::optional<int64_t> fulfilled = FulfilledMs(s);
  if (!fulfilled) return std::nullopt;
  OrderFigures f{BucketKey{BucketOf(*fulfilled), OrderChannel(s.kind)}, {}};
  if (s.promised_ms) {
    f.m[Measure::kPromisesJudged] = 1;
    if (*fulfilled <= *s.promised_ms) {
      f.m[Measure::kPromisesKept] = 1;
    } else {
      f.m[Measure::kLateMsSum] = *fulfilled - *s.promised_ms;
    }
  }
  // A fulfilment stamped before the creation (clocks of two systems) is not timed rather than
  // counted as a negative duration.
  if (s.created_ms && *s.created_ms <= *fulfilled) {
    const bool delivered = s.kind == OrderKind::kShipFromStore;
    f.m[delivered ? Measure::kDeliveredOrders : Measure::kReadyOrders] = 1;
    f.m[delivered ? Measure::kDeliveryMsSum : Measure::kReadyMsSum] = *fulfilled - *s.created_ms;
  }
  return f;
}

}  // namespace storepulse::common
