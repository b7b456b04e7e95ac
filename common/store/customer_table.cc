#include "common/store/customer_table.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "common/kpi/measures.h"
#include "common/store/statement_use.h"

namespace storepulse::common {

namespace {
// Keeps the earliest first purchase whatever order events arrive and are folded in: between two
// stores' sales at the same instant, the first store by id.
constexpr const char* kKeepEarliest =
    " ON CONFLICT DO UPDATE SET first_ts = excluded.first_ts, store = excluded.store"
    " WHERE excluded.first_ts < first_ts OR (excluded.first_ts = first_ts AND"
    " excluded.store < store)";
}  // namespace

Status CreateCustomerTables(SQLite::Database& db, bool with_scopes) {
  try {
    db.exec(
        "CREATE TABLE IF NOT EXISTS customer_seen(store TEXT NOT NULL, bucket INTEGER NOT NULL, "
        "customer TEXT NOT NULL, PRIMARY KEY(store, bucket, customer)) WITHOUT ROWID");
    db.exec(
        "CREATE TABLE IF NOT EXISTS customer_first(store TEXT NOT NULL, customer TEXT NOT NULL, "
        "first_ts INTEGER NOT NULL, PRIMARY KEY(store, customer)) WITHOUT ROWID");
    db.exec("CREATE INDEX IF NOT EXISTS customer_first_ts ON customer_first(store, first_ts)");
    db.exec(
        "CREATE TABLE IF NOT EXISTS customer_day(store TEXT NOT NULL, day INTEGER NOT NULL, "
        "customer TEXT NOT NULL, PRIMARY KEY(store, day, customer)) WITHOUT ROWID");
    db.exec(
        "CREATE TABLE IF NOT EXISTS customer_day_count(store TEXT NOT NULL, day INTEGER NOT NULL, "
        "customers INTEGER NOT NULL, PRIMARY KEY(store, day)) WITHOUT ROWID");
    if (!with_scopes) return OkStatus();
    db.exec(
        "CREATE TABLE IF NOT EXISTS customer_first_region(region TEXT NOT NULL, customer TEXT NOT "
        "NULL, first_ts INTEGER NOT NULL, store TEXT NOT NULL, PRIMARY KEY(region, customer)) "
        "WITHOUT ROWID");
    db.exec(
        "CREATE INDEX IF NOT EXISTS customer_first_region_ts ON customer_first_region(region, "
        "first_ts)");
    db.exec(
        "CREATE TABLE IF NOT EXISTS customer_first_network(customer TEXT PRIMARY KEY, "
        "first_ts INTEGER NOT NULL, store TEXT NOT NULL) WITHOUT ROWID");
    db.exec(
        "CREATE INDEX IF NOT EXISTS customer_first_network_ts ON customer_first_network(first_ts)");
    return OkStatus();
  } catch (const std::exception& e) {
    return Internal(std::string("cannot create the customer tables: ") + e.what());
  }
}

struct CustomerWriter::Statements {
  Statements(SQLite::Database& db, bool with_scopes)
      : seen(db, "INSERT OR IGNORE INTO customer_seen(store, bucket, customer) VALUES(?, ?, ?)"),
        first(db,
              "INSERT INTO customer_first(store, customer, first_ts) VALUES(?, ?, ?) "
              "ON CONFLICT DO UPDATE SET first_ts = excluded.first_ts "
              "WHERE excluded.first_ts < first_ts"),
        day(db, "INSERT OR IGNORE INTO customer_day(store, day, customer) VALUES(?, ?, ?)"),
        open_count(db,
                   "INSERT OR IGNORE INTO customer_day_count(store, day, customers) "
                   "VALUES(?, ?, 0)"),
        backfill(db,
                 "INSERT OR IGNORE INTO customer_day(store, day, customer) SELECT store, ?2, "
                 "customer FROM customer_seen WHERE store = ?1 AND bucket >= ?3 AND bucket < ?4"),
        recount(db,
                "UPDATE customer_day_count SET customers = (SELECT COUNT(*) FROM customer_day "
                "WHERE store = ?1 AND day = ?2) WHERE store = ?1 AND day = ?2"),
        // A count of customer_day rows: it cannot outgrow the table, so no overflow check.
        add_count(db,
                  "UPDATE customer_day_count SET customers = customers + ?3 "
                  "WHERE store = ?1 AND day = ?2") {
    if (!with_scopes) return;
    region = std::make_unique<SQLite::Statement>(
        db, std::string("INSERT INTO customer_first_region(region, customer, first_ts, store) "
                        "VALUES(?, ?, ?, ?)") + kKeepEarliest);
    network = std::make_unique<SQLite::Statement>(
        db, std::string("INSERT INTO customer_first_network(customer, first_ts, store) "
                        "VALUES(?, ?, ?)") + kKeepEarliest);
  }
  SQLite::Statement seen, first, day, open_count, backfill, recount, add_count;
  std::unique_ptr<SQLite::Statement> region, network;
};

namespace {
template <typename... Values>
int Run(SQLite::Statement& statement, const Values&... values) {
  StatementUse use(statement);
  int i = 0;
  ((use->bind(++i, values)), ...);
  return use->exec();
}
}  // namespace

CustomerWriter::CustomerWriter(SQLite::Database& db, bool with_scopes)
    : statements_(std::make_unique<Statements>(db, with_scopes)) {}

CustomerWriter::~CustomerWriter() = default;

void CustomerWriter::Add(const std::string& store, const std::string& region,
                         const TimeZone& zone, const Event& e, DayTally* tally) {
  if (e.type != EventType::kSale || e.customer.empty()) return;
  Statements& s = *statements_;
  const int64_t ts = e.ts_ms;
  const int64_t bucket = BucketOf(ts);
  const int64_t day = zone.LocalDayOf(bucket * kBucketMs);  // the day the bucket starts in
  // Day counts at the edge only: central's writer is the network's bottleneck, and its one-store
  // day rows are read from the sets (the same figures, exactly).
  const bool count_days = !s.region;
  if (count_days && tally->opened.insert(day).second) OpenDayCount(store, zone, day);
  Run(s.seen, store, bucket, e.customer);
  if (count_days && Run(s.day, store, day, e.customer) == 1) ++tally->added[day];
  Run(s.first, store, e.customer, ts);
  if (s.region) Run(*s.region, region, e.customer, ts, store);
  if (s.network) Run(*s.network, e.customer, ts, store);
}

// A day's count row is created the first time the day is touched, from the customer_seen rows it
// already has (written before this table existed, or before a change of time zone), so a count
// row, once there, is always the day's exact number of distinct customers.
void CustomerWriter::OpenDayCount(const std::string& store, const TimeZone& zone, int64_t day) {
  Statements& s = *statements_;
  if (Run(s.open_count, store, day) == 0) return;  // counted already
  const int64_t first = BucketOf(zone.LocalDayStartMs(day) + kBucketMs - 1);
  const int64_t last = BucketOf(zone.LocalDayStartMs(day + 1) + kBucketMs - 1);
  Run(s.backfill, store, day, first, last);
  Run(s.recount, store, day);
}

void CustomerWriter::Flush(const std::string& store, const DayTally& tally) {
  for (const auto& [day, added] : tally.added) Run(statements_->add_count, store, day, added);
}

void CustomerWriter::ForgetDays(SQLite::Database& db, const std::string& store) {
  for (const char* table : {"customer_day", "customer_day_count"}) {
    SQLite::Statement erase(db, std::string("DELETE FROM ") + table + " WHERE store = ?");
    erase.bind(1, store);
    erase.exec();
  }
}

Status SqliteCustomerReader::ReadSeen(int64_t from_bucket, int64_t to_bucket,
                                      const SeenSink& sink) {
  try {
    SQLite::Statement q(db_,
                        "SELECT bucket, customer FROM customer_seen WHERE store = ? AND "
                        "bucket >= ? AND bucket < ?");
    q.bind(1, store_);
    q.bind(2, static_cast<int64_t>(from_bucket));
    q.bind(3, static_cast<int64_t>(to_bucket));
    while (q.executeStep()) sink(q.getColumn(0).getInt64(), q.getColumn(1).getString());
    return OkStatus();
  } catch (const std::exception& e) {
    return Internal(std::string("cannot read customer_seen: ") + e.what());
  }
}

Status SqliteCustomerReader::ReadDayCounts(int64_t from_day, int64_t to_day,
                                           const DayCountSink& sink) {
  try {
    SQLite::Statement q(db_,
                        "SELECT day, customers FROM customer_day_count WHERE store = ? AND "
                        "day >= ? AND day < ?");
    q.bind(1, store_);
    q.bind(2, static_cast<int64_t>(from_day));
    q.bind(3, static_cast<int64_t>(to_day));
    while (q.executeStep()) sink(q.getColumn(0).getInt64(), q.getColumn(1).getInt64());
    return OkStatus();
  } catch (const std::exception& e) {
    return Internal(std::string("cannot read customer_day_count: ") + e.what());
  }
}

Status SqliteCustomerReader::ReadFirsts(int64_t from_ms, int64_t to_ms, const FirstSink& sink) {
  try {
    SQLite::Statement q(db_,
                        "SELECT first_ts, customer FROM customer_first WHERE store = ? AND "
                        "first_ts >= ? AND first_ts < ?");
    q.bind(1, store_);
    q.bind(2, static_cast<int64_t>(from_ms));
    q.bind(3, static_cast<int64_t>(to_ms));
    while (q.executeStep()) sink(q.getColumn(0).getInt64(), q.getColumn(1).getString());
    return OkStatus();
  } catch (const std::exception& e) {
    return Internal(std::string("cannot read customer_first: ") + e.what());
  }
}

Status SqliteScopeFirstsReader::ReadFirsts(const std::string& scope, int64_t from_ms,
                                           int64_t to_ms, const Sink& sink) {
  try {
    const bool network = scope == "network";
    SQLite::Statement q(db_, network ? "SELECT first_ts, store, customer FROM "
                                       "customer_first_network WHERE first_ts >= ? AND first_ts < ?"
                                     : "SELECT first_ts, store, customer FROM customer_first_region "
                                       "WHERE first_ts >= ? AND first_ts < ? AND region = ?");
    q.bind(1, static_cast<int64_t>(from_ms));
    q.bind(2, static_cast<int64_t>(to_ms));
    if (!network) q.bind(3, scope.substr(scope.find(':') + 1));
    while (q.executeStep()) {
      sink(q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString());
    }
    return OkStatus();
  } catch (const std::exception& e) {
    return Internal(std::string("cannot read the first purchases: ") + e.what());
  }
}

}  // namespace storepulse::common
