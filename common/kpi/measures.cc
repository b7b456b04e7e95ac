#include "common/kpi/measures.h"

#include "common/checked_math.h"
#include "common/kpi/labour_split.h"

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
  if (IsDefectReturn(e)) c->m[Measure::kDefectiveUnits] += e.LinesUnits();
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
  // Promises and fulfilment times are the order's, not the event's: common/kpi/order_lifecycle.h.
}

}  // namespace

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
    case EventType::kLabour:
      c.m[Measure::kLabourStaffS] += event.LabourStaffSeconds();
      break;
    case EventType::kCustomerLink:
      break;  // joins two ids of one person: the customer tables (customer_links.h), no measure
  }
  *channel = c.channel;
  return c.m;
}

// Labour counts in `store`: the staff on the floor serve the shop.
// Every sum is checked before any is made, so an overflow leaves `deltas` as it was.
Status FoldLabour(const Event& event, MeasureDeltas* deltas) {
  const std::vector<LabourShare> shares =
      SplitLabour(event.ts_ms, event.period_s, event.LabourStaffSeconds());
  constexpr auto kIndex = static_cast<size_t>(Measure::kLabourStaffS);
  for (const LabourShare& share : shares) {
    const auto row = deltas->find(BucketKey{share.bucket, Channel::kStore});
    const int64_t held = row == deltas->end() ? 0 : row->second.v[kIndex];
    if (!CheckedAdd(held, share.staff_seconds)) {
      return SumOverflow(kMeasureNames[kIndex], held, share.staff_seconds);
    }
  }
  for (const LabourShare& share : shares) {
    (*deltas)[BucketKey{share.bucket, Channel::kStore}].v[kIndex] += share.staff_seconds;
  }
  return OkStatus();
}

Status FoldEvent(const Event& event, MeasureDeltas* deltas) {
  if (event.type == EventType::kLabour) return FoldLabour(event, deltas);
  Channel channel;
  Measures m = MeasuresOf(event, &channel);
  if (m.IsZero()) return OkStatus();
  return (*deltas)[BucketKey{BucketOf(event.ts_ms), channel}].Add(m);
}

}  // namespace storepulse::common
