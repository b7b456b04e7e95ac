// On-hand stock per SKU from events (SPEC §2), and the store's end-of-day stock snapshots.
//
// What moves stock: a stock event (receipt +qty, transfer_in +qty, transfer_out −qty, shrink −qty,
// adjustment ±qty, count = qty absolute), a sale (−qty per line) and a restocking return (+qty per
// line). A SKU is *ranged* at a store from its first stock event there; a sale or a return of a SKU
// never stock-evented moves its on-hand but does not range it. The store's totals count ranged
// SKUs only (docs/KPIS.md, "Stock").
//
// Events are folded in arrival (sequence) order, the same order at the edge and at central, so
// both compute the same state whatever the batch boundaries. On-hand and its totals are checked
// sums: a movement that would take one past the int64 range stops the fold with OutOfRange
// (StockFold::status), and the batch is refused. Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/event.h"
#include "common/status.h"

namespace storepulse::common {

// One SKU at one store.
struct SkuStock {
  int64_t on_hand = 0;  // may go negative when more is sold than was recorded
  bool ranged = false;  // had a stock event at the store
  int64_t last_ts = 0;  // latest `ts` of an event that moved it, UTC ms; 0: never moved
  bool operator==(const SkuStock&) const = default;
};

// A store's totals over its ranged SKUs.
struct StockTotals {
  int64_t ranged = 0;         // ranged SKUs
  int64_t in_stock = 0;       // … with on_hand > 0
  int64_t on_hand_total = 0;  // Σ max(on_hand, 0): a negative on-hand counts as none
  // Adds (sign +1) or removes (sign −1) what `sku` contributes; OutOfRange (and the totals as they
  // were) when on_hand_total would leave the int64 range.
  Status Count(const SkuStock& sku, int sign);
  bool operator==(const StockTotals&) const = default;
};

// A store's totals as booked to one local day (a row of stock_day).
struct StockSnapshot {
  int64_t day = 0;  // local day number (TimeZone)
  StockTotals totals;
  bool operator==(const StockSnapshot&) const = default;
};

// What one event does to one SKU: add `qty` (signed), or set on-hand to it (`absolute`, a count).
struct StockMove {
  const std::string* sku = nullptr;  // points into the event
  int64_t qty = 0;
  bool absolute = false;
  bool ranges = false;  // a stock event: the SKU becomes ranged
};

// Calls `move` for every SKU movement of `event`, in line order; nothing for events that do not
// move stock (footfall, orders, feedback, returns with restock=false).
void ForEachStockMove(const Event& event, const std::function<void(const StockMove&)>& move);

// Whether `event` may move stock (cheap pre-check before any database read).
bool MovesStock(const Event& event);

// Folds one batch of a store's newly stored events into SKU states and day snapshots.
//
// Snapshots close in arrival order: an event is booked to its local day, or to the latest day
// already booked if that is later (a late event lands in the current day, it never rewrites a
// closed day). So the store's latest snapshot always holds its current totals, and a day's row,
// once a later day has begun, holds the totals as they stood at that day's end.
class StockFold {
 public:
  // The stored state of a SKU (a default SkuStock when it has none).
  using Loader = std::function<SkuStock(const std::string& sku)>;

  // `latest`: the store's latest stored snapshot (nothing before its first movement).
  StockFold(std::optional<StockSnapshot> latest, Loader load);

  // Applies one event; `day` is the local day of its ts. Returns whether it moved stock. After an
  // overflow (status() not OK) the fold is stopped: this and later calls change nothing.
  bool Apply(const Event& event, int64_t day);
  // OK, or the OutOfRange that stopped the fold (the batch must then be refused).
  const Status& status() const { return status_; }

  // Every SKU the batch moved, with its state after the batch.
  const std::unordered_map<std::string, SkuStock>& skus() const { return skus_; }
  // The snapshot rows the batch changed: booked day → totals after its last event there.
  const std::map<int64_t, StockTotals>& days() const { return days_; }
  // The store's totals after the batch.
  const StockTotals& totals() const { return totals_; }

 private:
  SkuStock& State(const std::string& sku);
  Status Move(const StockMove& move, int64_t ts_ms);

  Loader load_;
  std::optional<int64_t> latest_day_;
  StockTotals totals_;
  std::unordered_map<std::string, SkuStock> skus_;
  std::map<int64_t, StockTotals> days_;
  Status status_;
};

}  // namespace storepulse::common
