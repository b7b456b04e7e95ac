// The edge's stock and order views (GET /api/v1/stock, `storepulse stock [--data-dir]`;
// GET /api/v1/orders): one SKU's on-hand at
// the store, or the store's availability summary, read from the stock tables of an edge database
// (common/store/stock_table.h). Stateless; one call per connection at a time.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "common/store/overdue_orders.h"

namespace SQLite {
class Database;
}

namespace storepulse::edge {

// How many out-of-stock SKUs the summary lists.
inline constexpr int64_t kOutOfStockListLimit = 100;

// With a SKU: {"store","timezone","sku","name","on_hand","ranged","last_movement","updated"} — a
// SKU that never moved here is on_hand 0, ranged false, last_movement null; name is the held
// catalogue's (null without one). Without (`sku` empty): {"store","timezone","ranged","in_stock",
// "out_of_stock","out_of_stock_skus":[first 100 by id],"out_of_stock_names":{sku: name of those the
// catalogue names},"on_hand_total","availability"} (availability null when nothing is ranged).
// InvalidArgument for a SKU longer than an event may carry. REQUIRES: an edge database.
common::StatusOr<nlohmann::json> QueryEdgeStock(SQLite::Database& db, const std::string& sku);

// The store's overdue orders at `now_ms` (common/store/overdue_orders.h), at most `limit`, from
// the order table and the pending events. REQUIRES: an edge database.
common::StatusOr<common::OverdueOrders> QueryEdgeOverdueOrders(SQLite::Database& db, int64_t now_ms,
                                                               int64_t limit);

}  // namespace storepulse::edge
