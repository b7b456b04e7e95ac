// The stock tables: on-hand per store × SKU (`stock`) and the store's end-of-day totals
// (`stock_day`), for the stock KPIs and the stock views. One schema for the edge and central
// databases, written in the same transaction as the events (common/kpi/stock_fold.h has the rules).
//
// Schema (version 1), both tables WITHOUT ROWID:
//   stock(store TEXT, sku TEXT, on_hand INTEGER, ranged INTEGER (0|1),
//         last_ts INTEGER,      -- latest ts of a movement of the SKU, UTC ms
//         updated_ms INTEGER,   -- when this node last changed the row (its clock), UTC ms
//         PRIMARY KEY(store, sku))
//   stock_day(store TEXT, day INTEGER, ranged INTEGER, in_stock INTEGER, on_hand_total INTEGER,
//             PRIMARY KEY(store, day))
// `day` is the store's local day number (TimeZone). A stock_day row exists for each day to which a
// movement was booked; a day without one carries the previous row forward. The latest row of a
// store holds its current totals.
//
// Not thread-safe: one StockWriter/reader per connection, from one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/event.h"
#include "common/kpi/stock_fold.h"
#include "common/kpi/stock_kpis.h"
#include "common/status.h"
#include "common/store/statement_cache.h"
#include "common/time_zone.h"

namespace SQLite {
class Database;
}  // namespace SQLite

namespace storepulse::common {

// Creates both tables if missing. REQUIRES: a writable connection.
Status CreateStockTables(SQLite::Database& db);

// Books batches of events into the stock tables. REQUIRES: called inside the caller's write
// transaction, so stock moves exactly when the events are stored.
class StockWriter {
 public:
  explicit StockWriter(SQLite::Database& db);
  ~StockWriter();
  StockWriter(const StockWriter&) = delete;
  StockWriter& operator=(const StockWriter&) = delete;

  // `events`: the store's newly stored events of the batch, in sequence order (not owned).
  // `now_ms` stamps updated_ms. Reads and writes one row per SKU moved and one per day booked.
  // OutOfRange, with nothing written, when an on-hand or a total would leave the int64 range.
  // Throws SQLite::Exception on a database error (the caller's transaction then rolls back).
  Status Apply(const std::string& store, const TimeZone& zone,
               const std::vector<const Event*>& events, int64_t now_ms);

 private:
  // The stored state of each of `skus` (sorted, distinct) that has a row at `store`.
  std::unordered_map<std::string_view, SkuStock> ReadSkus(
      const std::string& store, const std::vector<const std::string*>& skus);
  void Write(const std::string& store, const StockFold& fold, int64_t now_ms);
  struct Statements;
  std::unique_ptr<Statements> statements_;
};

// One row of `stock`.
struct SkuStockRow {
  std::string store;
  std::string sku;
  SkuStock stock;
  int64_t updated_ms = 0;
};

// The SKU's row at `store`; nothing when the SKU never moved there.
StatusOr<std::optional<SkuStockRow>> ReadSkuStock(SQLite::Database& db, const std::string& store,
                                                  const std::string& sku);

// The store's latest stock_day row (its current totals); nothing before its first movement.
StatusOr<std::optional<StockSnapshot>> ReadLatestStockSnapshot(SQLite::Database& db,
                                                               const std::string& store);

// A store's current stock: its latest snapshot's totals and the first `limit` out-of-stock ranged
// SKUs (on-hand ≤ 0) by SKU id.
struct StockSummary {
  StockTotals totals;
  std::vector<std::string> out_of_stock;  // at most `limit`
};
StatusOr<StockSummary> ReadStockSummary(SQLite::Database& db, const std::string& store,
                                        int64_t limit);

// StockReader over one store's stock_day rows, on shared statements (SqliteMeasureReader). Not
// owned: `statements` must outlive the reader.
class SqliteStockReader final : public StockReader {
 public:
  SqliteStockReader(StatementCache& statements, std::string store)
      : statements_(statements), store_(std::move(store)) {}
  Status ReadStockDays(int64_t from_day, int64_t to_day, std::vector<StockSnapshot>* rows) override;

 private:
  StatementCache& statements_;
  std::string store_;
};

}  // namespace storepulse::common
