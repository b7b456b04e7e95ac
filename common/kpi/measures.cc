#include "common/kpi/measures.h"

#include "common/checked_math.h"

namespace storepulse::common {
namespace {

// What one event adds, and the channel it counts in. Built per event, then folded into the deltas
// only when non-zero, so an event that feeds no KPI (a stock receipt) leaves no row behind.
struct Contribution {
  Channel channel = Channel::kStore;
  Measures m;
};

void FoldSale(const Event& e, Contribution* c) {
  const int64_t value = e.LinesValue();
  c->channel = e.channel;
  c->m[Measure::kGrossSales] += value;
  c->m[Measure::kTransactions] += 1;
  c->m[Measure::kUnitsSold] += e.LinesUnits();
  if (e.channel == Channel::kStore) c->m[Measure::kStoreTransactions] += 1;
  if (!e.customer.empty()) {
    c->m[Measure::kIdentifiedTransactions] += 1;
    c->m[Measure::kIdentifiedSales] += value;
  }
}

// A return counts in the channel of the original purchase, so a web return brought to the shop
// lowers web's net sales while `web_returns` shows the load it puts on the store.
void FoldReturn(const Event& e, Contribution* c) {
  const int64_t value = e.LinesValue();
  c->channel = e.original_channel;
  c->m[Measure::kReturnsValue] += value;
  c->m[Measure::kReturns] += 1;
  c->m[Measure::kUnitsReturned] += e.LinesUnits();
  if (e.original_channel == Channel::kWeb) {
    c->m[Measure::kWebReturns] += 1;
    c->m[Measure::kWebReturnsValue] += value;
  }
  if (!e.customer.empty()) c->m[Measure::kIdentifiedReturnsValue] += value;
}

void FoldFeedback(const Event& e, Contribution* c) {
  c->channel = e.channel;
  if (e.scale == FeedbackScale::kNps) {
    c->m[Measure::kNpsResponses] += 1;
    if (e.score >= 9) c->m[Measure::kNpsPromoters] += 1;
    if (e.score <= 6) c->m[Measure::kNpsDetractors] += 1;
  } else {
    c->m[Measure::kCsatResponses] += 1;
    if (e.score >= 4) c->m[Measure::kCsatSatisfied] += 1;
  }
}

Channel OrderChannel(OrderKind kind) {
  switch (kind) {
    case OrderKind::kClickCollect:
      return Channel::kClickCollect;
    case OrderKind::kShipFromStore:
      return Channel::kShipFromStore;
    case OrderKind::kReserve:
      return Channel::kStore;
  }
  return Channel::kStore;
}

// The status at which an order's promise is judged: goods ready for the customer to take, or
// delivered to them.
OrderStatus FulfilmentStatus(OrderKind kind) {
  return kind == OrderKind::kShipFromStore ? OrderStatus::kDelivered : OrderStatus::kReady;
}

void FoldPromise(const Event& e, Contribution* c) {
  if (e.status != FulfilmentStatus(e.order_kind) || !e.promised_ms.has_value()) return;
  c->m[Measure::kPromisesJudged] += 1;
  if (e.ts_ms <= *e.promised_ms) {
    c->m[Measure::kPromisesKept] += 1;
  } else {
    c->m[Measure::kLateMsSum] += e.ts_ms - *e.promised_ms;
  }
}

void FoldOrder(const Event& e, Contribution* c) {
  c->channel = OrderChannel(e.order_kind);
  const bool created = e.status == OrderStatus::kCreated;
  if (e.order_kind == OrderKind::kClickCollect && created) {
    c->m[Measure::kCcOrders] += 1;
    if (e.source == OrderSource::kWarehouse) c->m[Measure::kCcFromWarehouse] += 1;
  }
  if (e.order_kind == OrderKind::kShipFromStore) {
    if (created) c->m[Measure::kSfsOrders] += 1;
    if (e.status == OrderStatus::kCancelled && e.reason == "stock_error") {
      c->m[Measure::kSfsStockCancels] += 1;
    }
  }
  FoldPromise(e, c);
}

}  // namespace

Status Measures::Add(const Measures& other) {
  Measures sum;
  for (size_t i = 0; i < kMeasureCount; ++i) {
    std::optional<int64_t> s = CheckedAdd(v[i], other.v[i]);
    if (!s) return SumOverflow(kMeasureNames[i], v[i], other.v[i]);
    sum.v[i] = *s;
  }
  *this = sum;
  return OkStatus();
}

bool Measures::IsZero() const {
  for (int64_t x : v) {
    if (x != 0) return false;
  }
  return true;
}

Measures MeasuresOf(const Event& event, Channel* channel) {
  Contribution c;
  switch (event.type) {
    case EventType::kSale:
      FoldSale(event, &c);
      break;
    case EventType::kReturn:
      FoldReturn(event, &c);
      break;
    case EventType::kFootfall:
      c.m[Measure::kFootfallIn] += event.in;
      c.m[Measure::kFootfallOut] += event.out;
      break;
    case EventType::kStock:
      if (event.stock_kind == StockKind::kShrink) c.m[Measure::kShrinkUnits] += event.qty;
      break;
    case EventType::kOrder:
      FoldOrder(event, &c);
      break;
    case EventType::kFeedback:
      FoldFeedback(event, &c);
      break;
    case EventType::kCustomerLink:
      break;  // joins two ids of one person: the customer tables (customer_links.h), no measure
  }
  *channel = c.channel;
  return c.m;
}

Status FoldEvent(const Event& event, MeasureDeltas* deltas) {
  Channel channel;
  Measures m = MeasuresOf(event, &channel);
  if (m.IsZero()) return OkStatus();
  return (*deltas)[BucketKey{BucketOf(event.ts_ms), channel}].Add(m);
}

}  // namespace storepulse::common
