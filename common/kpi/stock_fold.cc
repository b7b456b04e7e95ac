#include "common/kpi/stock_fold.h"

#include <algorithm>

#include "common/checked_math.h"

namespace storepulse::common {
namespace {

// The signed change a non-count stock event makes.
int64_t StockDelta(const Event& e) {
  switch (e.stock_kind) {
    case StockKind::kReceipt:
    case StockKind::kTransferIn:
    case StockKind::kAdjustment:  // already signed
      return e.qty;
    case StockKind::kShrink:
    case StockKind::kTransferOut:
      return -e.qty;
    case StockKind::kCount:
      break;
  }
  return 0;
}

}  // namespace

Status StockTotals::Count(const SkuStock& sku, int sign) {
  if (!sku.ranged) return OkStatus();
  // ranged and in_stock count stored SKU rows: they cannot outgrow the table. on_hand_total can.
  ranged += sign;
  if (sku.on_hand > 0) {
    std::optional<int64_t> total = CheckedAdd(on_hand_total, sign * sku.on_hand);
    if (!total) {
      ranged -= sign;
      return SumOverflow("the store's on-hand total", on_hand_total, sign * sku.on_hand);
    }
    in_stock += sign;
    on_hand_total = *total;
  }
  return OkStatus();
}

bool MovesStock(const Event& event) {
  return event.type == EventType::kStock || event.type == EventType::kSale ||
         (event.type == EventType::kReturn && event.restock);
}

void ForEachStockMove(const Event& event, const std::function<void(const StockMove&)>& move) {
  switch (event.type) {
    case EventType::kStock: {
      const bool absolute = event.stock_kind == StockKind::kCount;
      move(StockMove{&event.sku, absolute ? event.qty : StockDelta(event), absolute, true});
      return;
    }
    case EventType::kSale:
      for (const Line& line : event.lines) move(StockMove{&line.sku, -line.qty, false, false});
      return;
    case EventType::kReturn:
      if (!event.restock) return;
      for (const Line& line : event.lines) move(StockMove{&line.sku, line.qty, false, false});
      return;
    default:
      return;
  }
}

StockFold::StockFold(std::optional<StockSnapshot> latest, Loader load) : load_(std::move(load)) {
  if (latest.has_value()) {
    latest_day_ = latest->day;
    totals_ = latest->totals;
  }
}

SkuStock& StockFold::State(const std::string& sku) {
  auto it = skus_.find(sku);
  if (it == skus_.end()) it = skus_.emplace(sku, load_(sku)).first;
  return it->second;
}

Status StockFold::Move(const StockMove& move, int64_t ts_ms) {
  SkuStock& sku = State(*move.sku);
  std::optional<int64_t> on_hand = move.absolute ? move.qty : CheckedAdd(sku.on_hand, move.qty);
  if (!on_hand) return SumOverflow("on-hand of SKU " + *move.sku, sku.on_hand, move.qty);
  RETURN_IF_ERROR(totals_.Count(sku, -1));  // removing what was counted cannot overflow
  sku.on_hand = *on_hand;
  sku.ranged = sku.ranged || move.ranges;
  sku.last_ts = std::max(sku.last_ts, ts_ms);
  return totals_.Count(sku, +1);
}

bool StockFold::Apply(const Event& event, int64_t day) {
  if (!status_.ok() || !MovesStock(event)) return false;
  ForEachStockMove(event, [&](const StockMove& move) {
    if (status_.ok()) status_ = Move(move, event.ts_ms);
  });
  if (!status_.ok()) return false;
  const int64_t booked = latest_day_.has_value() ? std::max(day, *latest_day_) : day;
  latest_day_ = booked;
  days_[booked] = totals_;
  return true;
}

}  // namespace storepulse::common
