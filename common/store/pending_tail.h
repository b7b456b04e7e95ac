// The pending tail: the events past the views' watermark (committed, not folded yet by the view
// pass), folded in memory for one read. A KPI answer is the views plus this, so an event
// acknowledged to a producer is in the very next answer, and the answer is the one the views
// will give once folded — the same fold (common/kpi, common/store/derived_tables.h) on the same
// events in the same order. Its size is bounded by the pass's throttle (ViewPassOptions).
//
// The reads that use it must run in one read transaction (ReadSnapshot), so that the watermark,
// the tail and the views all come from the same snapshot of the file. Plain value; one thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/kpi/dimensions.h"
#include "common/kpi/measures.h"
#include "common/kpi/order_lifecycle.h"
#include "common/kpi/stock_fold.h"
#include "common/status.h"
#include "common/store/event_log.h"
#include "common/store/view_pass.h"

namespace SQLite {
class Database;
}

namespace storepulse::common {

// A first purchase the tail makes earlier than the stored one (or the first one at all).
struct TailFirst {
  int64_t first_ms = 0;
  std::string store;
  bool replaces_stored = false;  // a stored first purchase at this scope is superseded
};

// What one store's pending events add to its views.
struct StoreTail {
  MeasureDeltas buckets;      // measures_15m
  MeasureDeltas days;         // measures_day
  DimensionDeltas dim_buckets;  // dims_15m (employees; SKUs and sources are read per day only)
  DimensionDeltas dim_days;     // dims_day
  std::vector<std::pair<int64_t, std::string>> seen;  // (bucket, customer): customer_seen
  std::set<int64_t> customer_days;  // local days with a pending identified sale
  std::map<std::string, TailFirst> firsts;  // customer → its new first purchase at the store
  std::map<std::string, OrderState> orders;  // the orders the pending events change: new states
  // customer_link and customer_channel (customer_identity.h): the pending links (ordered pairs)
  // and (bucket, customer, channel) of the pending identified sales.
  std::vector<std::pair<std::string, std::string>> links;
  std::vector<std::tuple<int64_t, std::string, Channel>> channels;
  // Stock after the pending events (from the stored state): the SKUs they moved, the day rows they
  // booked, and the store's totals; nothing when they moved no stock.
  std::unordered_map<std::string, SkuStock> skus;
  std::map<int64_t, StockTotals> stock_days;
  std::optional<StockTotals> stock_totals;
};

class ReadSnapshot {
 public:
  // Opens a read transaction on `db` (its first read pins the snapshot); ends it when destroyed.
  explicit ReadSnapshot(SQLite::Database& db);
  ~ReadSnapshot();
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  SQLite::Database& db_;
  bool open_ = false;
};

class PendingTail {
 public:
  // Reads the watermark and the events past it and folds them, per store. `resolve` gives each
  // store's zone and region (nothing: UTC days, as the pass does). REQUIRES: inside a ReadSnapshot.
  static StatusOr<PendingTail> Read(SQLite::Database& db, EventLogKind kind,
                                    const std::string& edge_store, const StoreResolver& resolve);

  // The store's pending additions; nullptr when it has none.
  const StoreTail* ForStore(const std::string& store) const;
  // New first purchases at a wider scope ("network", "region:R"; central only): customer → first.
  const std::map<std::string, TailFirst>* ForScope(const std::string& scope) const;
  // Every store's pending additions (for the network's links).
  const std::map<std::string, StoreTail>& stores() const { return stores_; }
  int64_t events() const { return events_; }
  // Whether any pending event is an identified sale (the customer views then lag the sets).
  bool has_customers() const { return has_customers_; }

 private:
  std::map<std::string, StoreTail> stores_;
  std::map<std::string, std::map<std::string, TailFirst>> scopes_;
  int64_t events_ = 0;
  bool has_customers_ = false;
};

}  // namespace storepulse::common
