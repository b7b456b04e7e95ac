// The order table: each order's state (common/kpi/order_lifecycle.h) per store, the same schema
// in edge.db and central.db, kept by the view pass with the measures the orders feed
// (common/kpi/order_fold.h), and the overdue orders read from it.
//
// Schema (edge schema 3, central schema 4; WITHOUT ROWID):
//   orders(store TEXT, order_id TEXT, kind INTEGER, source INTEGER,  -- OrderKind, OrderSource
//          first_ts INTEGER, first_id TEXT,                       -- the order's first event
//          created_ts, promise_ts, promise_id, promised_ms,       -- NULL when not known
//          ready_ts, collected_ts, delivered_ts,                  -- the earliest of each status
//          cancelled_ts, cancelled_id, reason,                    -- the first cancellation
//          due_ms INTEGER,   -- promised_ms while the order is open (not fulfilled, collected or
//                            -- cancelled), else NULL: the overdue orders are due_ms < now
//          PRIMARY KEY(store, order_id))
//   index orders_due(store, due_ms)
//
// Not thread-safe: a writer or a read per connection, on its thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/kpi/measures.h"
#include "common/kpi/order_lifecycle.h"
#include "common/status.h"
#include "common/store/event_log.h"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace storepulse::common {

// Creates the table and its index if missing. REQUIRES: a writable connection.
Status CreateOrderTable(SQLite::Database& db);

// Folds order events into the table and into measure deltas. REQUIRES: inside the caller's write
// transaction (the view pass's).
class OrderWriter {
 public:
  explicit OrderWriter(SQLite::Database& db);
  ~OrderWriter();
  OrderWriter(const OrderWriter&) = delete;
  OrderWriter& operator=(const OrderWriter&) = delete;

  // FoldOrders (order_fold.h) over the stored states of `store`, writing the changed states.
  // OutOfRange (nothing written) when a sum would overflow; throws SQLite::Exception on a
  // database error.
  Status Fold(const std::string& store, const std::vector<const Event*>& events,
              MeasureDeltas* deltas);

 private:
  struct Statements;
  std::unique_ptr<Statements> statements_;
};

// Reads stored order states on one prepared statement: a read that looks up every order its
// pending events touch prepares it once. Not owned: `db` must outlive it.
class OrderStateReader {
 public:
  explicit OrderStateReader(SQLite::Database& db);
  ~OrderStateReader();
  OrderStateReader(const OrderStateReader&) = delete;
  OrderStateReader& operator=(const OrderStateReader&) = delete;

  // The stored state of one order; nothing when none. Throws SQLite::Exception.
  std::optional<OrderState> Read(const std::string& store, const std::string& order);

 private:
  std::unique_ptr<SQLite::Statement> select_;
};

// The same for a single order.
std::optional<OrderState> ReadOrderState(SQLite::Database& db, const std::string& store,
                                         const std::string& order);

// A schema step's part (edge schema 3, central schema 4): the states of the orders whose raw
// events are still in the log up to the views' watermark, built from those of their events that
// the per-event rule before the lifecycle did not judge (every status but `ready` and
// `delivered`), so that an order created before the upgrade and fulfilled after it is judged
// with its promise and its created time. Such a state is not settled, so the measures stay as
// they were. REQUIRES: inside the step's write transaction; the order table created.
Status SeedOrdersFromLog(SQLite::Database& db, EventLogKind kind, const std::string& edge_store);

// An order as the orders listing shows it.
struct OrderRow {
  std::string store;
  std::string order;
  OrderState state;
};
// The stored orders of `store` open with a promise before `due_before_ms`, earliest promise
// first, at most `limit`. Throws SQLite::Exception.
std::vector<OrderRow> ReadDueOrders(SQLite::Database& db, const std::string& store,
                                    int64_t due_before_ms, int64_t limit);

}  // namespace storepulse::common
