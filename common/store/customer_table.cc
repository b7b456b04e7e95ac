#include "common/store/customer_table.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "common/kpi/measures.h"

namespace storepulse::common {

namespace {
// Keeps the earliest first purchase whatever order events arrive in.
constexpr const char* kKeepEarliest =
    " ON CONFLICT DO UPDATE SET first_ts = excluded.first_ts, store = excluded.store"
    " WHERE excluded.first_ts < first_ts";
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
              "WHERE excluded.first_ts < first_ts") {
    if (!with_scopes) return;
    region = std::make_unique<SQLite::Statement>(
        db, std::string("INSERT INTO customer_first_region(region, customer, first_ts, store) "
                        "VALUES(?, ?, ?, ?)") + kKeepEarliest);
    network = std::make_unique<SQLite::Statement>(
        db, std::string("INSERT INTO customer_first_network(customer, first_ts, store) "
                        "VALUES(?, ?, ?)") + kKeepEarliest);
  }
  SQLite::Statement seen, first;
  std::unique_ptr<SQLite::Statement> region, network;
};

CustomerWriter::CustomerWriter(SQLite::Database& db, bool with_scopes)
    : statements_(std::make_unique<Statements>(db, with_scopes)) {}

CustomerWriter::~CustomerWriter() = default;

void CustomerWriter::Add(const std::string& store, const std::string& region, const Event& e) {
  if (e.type != EventType::kSale || e.customer.empty()) return;
  const int64_t ts = e.ts_ms;
  auto run = [](SQLite::Statement& s, auto... values) {
    s.reset();
    int i = 0;
    ((s.bind(++i, values)), ...);
    s.exec();
  };
  run(statements_->seen, store, static_cast<int64_t>(BucketOf(ts)), e.customer);
  run(statements_->first, store, e.customer, static_cast<int64_t>(ts));
  if (statements_->region) run(*statements_->region, region, e.customer, static_cast<int64_t>(ts), store);
  if (statements_->network) run(*statements_->network, e.customer, static_cast<int64_t>(ts), store);
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
