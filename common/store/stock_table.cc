#include "common/store/stock_table.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <unordered_set>

#include "common/kpi/measures.h"
#include "common/store/sqlite_errors.h"
#include "common/store/statement_use.h"

namespace storepulse::common {
namespace {

constexpr char kLatestSnapshotSql[] =
    "SELECT day, ranged, in_stock, on_hand_total FROM stock_day WHERE store = ? "
    "ORDER BY day DESC LIMIT 1";

StockSnapshot SnapshotFrom(SQLite::Statement& q) {
  return StockSnapshot{
      q.getColumn(0).getInt64(),
      StockTotals{q.getColumn(1).getInt64(), q.getColumn(2).getInt64(), q.getColumn(3).getInt64()}};
}

// The local day of each event's ts, remembered per 15-minute bucket: a batch is mostly a few
// buckets, and a zone lookup costs more than a comparison.
class DayCache {
 public:
  explicit DayCache(const TimeZone& zone) : zone_(zone) {}
  int64_t DayOf(int64_t ts_ms) {
    const int64_t bucket = BucketOf(ts_ms);
    if (!valid_ || bucket != bucket_) {
      bucket_ = bucket;
      day_ = zone_.LocalDayOf(bucket * kBucketMs);
      valid_ = true;
    }
    return day_;
  }

 private:
  const TimeZone& zone_;
  bool valid_ = false;
  int64_t bucket_ = 0;
  int64_t day_ = 0;
};

}  // namespace

Status CreateStockTables(SQLite::Database& db) {
  try {
    db.exec(
        "CREATE TABLE IF NOT EXISTS stock(store TEXT NOT NULL, sku TEXT NOT NULL, "
        "on_hand INTEGER NOT NULL, ranged INTEGER NOT NULL, last_ts INTEGER NOT NULL, "
        "updated_ms INTEGER NOT NULL, PRIMARY KEY(store, sku)) WITHOUT ROWID");
    db.exec(
        "CREATE TABLE IF NOT EXISTS stock_day(store TEXT NOT NULL, day INTEGER NOT NULL, "
        "ranged INTEGER NOT NULL, in_stock INTEGER NOT NULL, on_hand_total INTEGER NOT NULL, "
        "PRIMARY KEY(store, day)) WITHOUT ROWID");
    return OkStatus();
  } catch (const std::exception& e) {
    return SqliteErrorStatus(db, e, "create the stock tables");
  }
}

struct StockWriter::Statements {
  explicit Statements(SQLite::Database& db)
      : latest(db, kLatestSnapshotSql),
        sku(db, "SELECT on_hand, ranged, last_ts FROM stock WHERE store = ? AND sku = ?"),
        scan(db,
             "SELECT sku, on_hand, ranged, last_ts FROM stock WHERE store = ? AND sku >= ? "
             "ORDER BY sku"),
        upsert_sku(db,
                   "INSERT INTO stock(store, sku, on_hand, ranged, last_ts, updated_ms) "
                   "VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET on_hand = excluded.on_hand, "
                   "ranged = excluded.ranged, last_ts = excluded.last_ts, "
                   "updated_ms = excluded.updated_ms"),
        upsert_day(db,
                   "INSERT INTO stock_day(store, day, ranged, in_stock, on_hand_total) "
                   "VALUES(?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET ranged = excluded.ranged, "
                   "in_stock = excluded.in_stock, on_hand_total = excluded.on_hand_total") {}
  SQLite::Statement latest;
  SQLite::Statement sku;
  SQLite::Statement scan;
  SQLite::Statement upsert_sku;
  SQLite::Statement upsert_day;
};

StockWriter::StockWriter(SQLite::Database& db) : statements_(std::make_unique<Statements>(db)) {}

StockWriter::~StockWriter() = default;

Status StockWriter::Apply(const std::string& store, const TimeZone& zone,
                          const std::vector<const Event*>& events, int64_t now_ms) {
  auto first =
      std::find_if(events.begin(), events.end(), [](const Event* e) { return MovesStock(*e); });
  if (first == events.end()) return OkStatus();  // footfall, orders, feedback: no read, no write
  Statements& s = *statements_;
  std::optional<StockSnapshot> latest;
  {
    StatementUse query(s.latest);
    query->bindNoCopy(1, store);
    if (query->executeStep()) latest = SnapshotFrom(*query);
  }
  // The stored state of every SKU the batch moves, read before the fold: in one scan of the
  // store's rows in SKU order where they are dense, one lookup each where not (ReadSkus).
  std::unordered_set<std::string_view> distinct;
  std::vector<const std::string*> wanted;
  for (auto it = first; it != events.end(); ++it) {
    ForEachStockMove(**it, [&](const StockMove& move) {
      if (distinct.insert(*move.sku).second) wanted.push_back(move.sku);
    });
  }
  std::sort(wanted.begin(), wanted.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  const std::unordered_map<std::string_view, SkuStock> stored = ReadSkus(store, wanted);
  StockFold fold(latest, [&](const std::string& sku) {
    auto it = stored.find(sku);
    return it == stored.end() ? SkuStock{} : it->second;
  });
  DayCache days(zone);
  for (auto it = first; it != events.end(); ++it) {
    if (MovesStock(**it)) fold.Apply(**it, days.DayOf((*it)->ts_ms));
  }
  if (!fold.status().ok()) {
    return Status(fold.status().code(), "store " + store + ", stock: " + fold.status().message());
  }
  Write(store, fold, now_ms);
  return OkStatus();
}

std::unordered_map<std::string_view, SkuStock> StockWriter::ReadSkus(
    const std::string& store, const std::vector<const std::string*>& skus) {
  std::unordered_map<std::string_view, SkuStock> stored;
  stored.reserve(skus.size());
  if (skus.empty()) return stored;
  Statements& s = *statements_;
  // A scan from the first SKU wanted, matching the rows against the sorted list. It stops once it
  // has stepped over kScanRowsPerSku rows per SKU wanted (a large catalogue of which the batch
  // moves few SKUs): the rest are then looked up one by one.
  constexpr size_t kScanRowsPerSku = 4;
  const size_t budget = kScanRowsPerSku * skus.size() + 64;
  size_t next = 0;
  {
    StatementUse scan(s.scan);
    scan->bindNoCopy(1, store);
    scan->bindNoCopy(2, *skus.front());
    for (size_t steps = 0; next < skus.size() && steps < budget && scan->executeStep(); ++steps) {
      const SQLite::Column column = scan->getColumn(0);
      const std::string_view sku(column.getText(), static_cast<size_t>(column.getBytes()));
      while (next < skus.size() && *skus[next] < sku) ++next;  // not stored: a new SKU
      if (next < skus.size() && *skus[next] == sku) {
        stored.emplace(*skus[next],
                       SkuStock{scan->getColumn(1).getInt64(), scan->getColumn(2).getInt() != 0,
                                scan->getColumn(3).getInt64()});
        ++next;
      }
    }
  }
  for (; next < skus.size(); ++next) {
    StatementUse query(s.sku);
    query->bindNoCopy(1, store);
    query->bindNoCopy(2, *skus[next]);
    if (!query->executeStep()) continue;
    stored.emplace(*skus[next],
                   SkuStock{query->getColumn(0).getInt64(), query->getColumn(1).getInt() != 0,
                            query->getColumn(2).getInt64()});
  }
  return stored;
}

void StockWriter::Write(const std::string& store, const StockFold& fold, int64_t now_ms) {
  Statements& s = *statements_;
  // In SKU order: neighbouring rows share B-tree pages.
  std::vector<const std::pair<const std::string, SkuStock>*> rows;
  rows.reserve(fold.skus().size());
  for (const auto& entry : fold.skus()) rows.push_back(&entry);
  std::sort(rows.begin(), rows.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  for (const auto* entry : rows) {
    const auto& [sku, state] = *entry;
    StatementUse upsert(s.upsert_sku);
    upsert->bindNoCopy(1, store);
    upsert->bindNoCopy(2, sku);
    upsert->bind(3, static_cast<int64_t>(state.on_hand));
    upsert->bind(4, state.ranged ? 1 : 0);
    upsert->bind(5, static_cast<int64_t>(state.last_ts));
    upsert->bind(6, static_cast<int64_t>(now_ms));
    upsert->exec();
  }
  for (const auto& [day, totals] : fold.days()) {
    StatementUse upsert(s.upsert_day);
    upsert->bindNoCopy(1, store);
    upsert->bind(2, static_cast<int64_t>(day));
    upsert->bind(3, static_cast<int64_t>(totals.ranged));
    upsert->bind(4, static_cast<int64_t>(totals.in_stock));
    upsert->bind(5, static_cast<int64_t>(totals.on_hand_total));
    upsert->exec();
  }
}

StatusOr<std::optional<SkuStockRow>> ReadSkuStock(SQLite::Database& db, const std::string& store,
                                                  const std::string& sku) {
  try {
    SQLite::Statement q(db,
                        "SELECT on_hand, ranged, last_ts, updated_ms FROM stock "
                        "WHERE store = ? AND sku = ?");
    q.bind(1, store);
    q.bind(2, sku);
    if (!q.executeStep()) return std::optional<SkuStockRow>();
    return std::optional<SkuStockRow>(
        SkuStockRow{store, sku,
                    SkuStock{q.getColumn(0).getInt64(), q.getColumn(1).getInt() != 0,
                             q.getColumn(2).getInt64()},
                    q.getColumn(3).getInt64()});
  } catch (const std::exception& e) {
    return SqliteErrorStatus(db, e, "read the stock of " + sku);
  }
}

StatusOr<std::optional<StockSnapshot>> ReadLatestStockSnapshot(SQLite::Database& db,
                                                               const std::string& store) {
  try {
    SQLite::Statement latest(db, kLatestSnapshotSql);
    latest.bind(1, store);
    if (!latest.executeStep()) return std::optional<StockSnapshot>();
    return std::optional<StockSnapshot>(SnapshotFrom(latest));
  } catch (const std::exception& e) {
    return Unavailable(std::string("cannot read the stock snapshot: ") + e.what());
  }
}

StatusOr<StockSummary> ReadStockSummary(SQLite::Database& db, const std::string& store,
                                        int64_t limit) {
  try {
    StockSummary summary;
    SQLite::Statement latest(db, kLatestSnapshotSql);
    latest.bind(1, store);
    if (latest.executeStep()) summary.totals = SnapshotFrom(latest).totals;
    SQLite::Statement q(db,
                        "SELECT sku FROM stock WHERE store = ? AND ranged = 1 AND on_hand <= 0 "
                        "ORDER BY sku LIMIT ?");
    q.bind(1, store);
    q.bind(2, static_cast<int64_t>(limit));
    while (q.executeStep()) summary.out_of_stock.push_back(q.getColumn(0).getString());
    return summary;
  } catch (const std::exception& e) {
    return SqliteErrorStatus(db, e, "read the stock summary");
  }
}

Status SqliteStockReader::ReadStockDays(int64_t from_day, int64_t to_day,
                                        std::vector<StockSnapshot>* rows) {
  try {
    // From the last row at or before from_day (the one carried into it) up to to_day.
    StatementUse q(
        statements_.Get("SELECT day, ranged, in_stock, on_hand_total FROM stock_day "
                        "WHERE store = ?1 AND day < ?3 AND day >= (SELECT COALESCE(MAX(day), ?2) "
                        "FROM stock_day WHERE store = ?1 AND day <= ?2) ORDER BY day"));
    q->bind(1, store_);
    q->bind(2, static_cast<int64_t>(from_day));
    q->bind(3, static_cast<int64_t>(to_day));
    while (q->executeStep()) rows->push_back(SnapshotFrom(*q));
    return OkStatus();
  } catch (const std::exception& e) {
    return SqliteErrorStatus(statements_.db(), e, "read stock_day");
  }
}

}  // namespace storepulse::common
