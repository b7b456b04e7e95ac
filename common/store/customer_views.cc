#include "common/store/customer_views.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include "common/kpi/measures.h"
#include "common/log.h"
#include "common/store/statement_use.h"

namespace storepulse::common {

namespace {

template <typename... Values>
void Run(SQLite::Statement& statement, const Values&... values) {
  StatementUse use(statement);
  int i = 0;
  ((use->bind(++i, values)), ...);
  use->exec();
}

StatusOr<HyperLogLog> ReadBlob(const SQLite::Column& column) {
  return HyperLogLog::Deserialize(
      std::string_view(static_cast<const char*>(column.getBlob()), column.getBytes()));
}

}  // namespace

Status CreateCustomerViewTables(SQLite::Database& db, bool with_scopes, bool backfill_needed) {
  try {
    db.exec(
        "CREATE TABLE IF NOT EXISTS customer_sketch(scope TEXT NOT NULL, day INTEGER NOT NULL, "
        "sketch BLOB NOT NULL, PRIMARY KEY(scope, day))");
    db.exec(
        "CREATE TABLE IF NOT EXISTS customer_new_day(scope TEXT NOT NULL, day INTEGER NOT NULL, "
        "customers INTEGER NOT NULL, PRIMARY KEY(scope, day)) WITHOUT ROWID");
    db.exec(
        "CREATE TABLE IF NOT EXISTS customer_view_state(key TEXT PRIMARY KEY, value TEXT NOT "
        "NULL)");
    if (backfill_needed) {
      db.exec(
          "INSERT OR REPLACE INTO customer_view_state(key, value) VALUES('backfill', "
          "'pending')");
    }
    if (!with_scopes) return OkStatus();
    db.exec(
        "CREATE TABLE IF NOT EXISTS customer_sketch_member(scope TEXT NOT NULL, store TEXT NOT "
        "NULL, first_day INTEGER NOT NULL, last_day INTEGER NOT NULL, PRIMARY KEY(scope, store)) "
        "WITHOUT ROWID");
    return OkStatus();
  } catch (const std::exception& e) {
    return Internal(std::string("cannot create the customer view tables: ") + e.what());
  }
}

StatusOr<bool> CustomerViewsReady(StatementCache& statements) {
  try {
    StatementUse q(statements.Get("SELECT 1 FROM customer_view_state WHERE key = 'backfill'"));
    return !q->executeStep();
  } catch (const std::exception& e) {
    return Internal(std::string("cannot read customer_view_state: ") + e.what());
  }
}

void MarkCustomerViewsReady(SQLite::Database& db) {
  db.exec("DELETE FROM customer_view_state WHERE key = 'backfill'");
}

struct CustomerViewWriter::Statements {
  Statements(SQLite::Database& db, bool with_scopes)
      : add_new(db,
                "INSERT INTO customer_new_day(scope, day, customers) VALUES(?, ?, ?) "
                "ON CONFLICT DO UPDATE SET customers = customers + excluded.customers"),
        get_sketch(db, "SELECT sketch FROM customer_sketch WHERE scope = ? AND day = ?"),
        put_sketch(db,
                   "INSERT INTO customer_sketch(scope, day, sketch) VALUES(?, ?, ?) "
                   "ON CONFLICT DO UPDATE SET sketch = excluded.sketch"),
        seen(db,
             "SELECT customer FROM customer_seen WHERE store = ? AND bucket >= ? AND bucket < ?") {
    if (!with_scopes) return;
    member = std::make_unique<SQLite::Statement>(
        db,
        "INSERT INTO customer_sketch_member(scope, store, first_day, last_day) VALUES(?, ?, ?, ?) "
        "ON CONFLICT DO UPDATE SET first_day = min(first_day, excluded.first_day), "
        "last_day = max(last_day, excluded.last_day)");
    members_on = std::make_unique<SQLite::Statement>(
        db,
        "SELECT store FROM customer_sketch_member WHERE scope = ?1 AND first_day <= ?2 AND "
        "last_day >= ?2");
  }
  SQLite::Statement add_new, get_sketch, put_sketch, seen;
  std::unique_ptr<SQLite::Statement> member, members_on;
};

CustomerViewWriter::CustomerViewWriter(SQLite::Database& db, bool with_scopes)
    : db_(db), statements_(std::make_unique<Statements>(db, with_scopes)) {}

CustomerViewWriter::~CustomerViewWriter() = default;

void CustomerViewWriter::AddNew(const std::string& scope, int64_t day, int64_t delta) {
  Run(statements_->add_new, scope, day, delta);
}

void CustomerViewWriter::MergeSketch(const std::string& scope, int64_t day,
                                     const HyperLogLog& sketch,
                                     const std::function<HyperLogLog()>& rebuild) {
  HyperLogLog merged;
  bool unreadable = false;
  {
    StatementUse get(statements_->get_sketch);
    get->bind(1, scope);
    get->bind(2, day);
    if (!get->executeStep()) {
      PutSketch(scope, day, sketch);
      return;
    }
    StatusOr<HyperLogLog> stored = ReadBlob(get->getColumn(0));
    if (stored.ok()) {
      merged = std::move(*stored);
      merged.Merge(sketch);
    } else {
      unreadable = true;
      LogWarning("customer_sketch " + scope + " day " + std::to_string(day) +
                 " could not be read (" + stored.status().message() + "): rebuilt");
    }
  }
  PutSketch(scope, day, unreadable ? rebuild() : merged);
}

void CustomerViewWriter::PutSketch(const std::string& scope, int64_t day,
                                   const HyperLogLog& sketch) {
  const std::string bytes = sketch.Serialize();
  StatementUse put(statements_->put_sketch);
  put->bind(1, scope);
  put->bind(2, day);
  put->bind(3, bytes.data(), static_cast<int>(bytes.size()));
  put->exec();
}

void CustomerViewWriter::ExtendMember(const std::string& scope, const std::string& store,
                                      int64_t first_day, int64_t last_day) {
  Run(*statements_->member, scope, store, first_day, last_day);
}

HyperLogLog CustomerViewWriter::StoreDayFromSeen(const std::string& store, const TimeZone& zone,
                                                 int64_t day) {
  HyperLogLog sketch;
  StatementUse q(statements_->seen);
  q->bind(1, store);  // the buckets that start in the day
  q->bind(2, BucketOf(zone.LocalDayStartMs(day) + kBucketMs - 1));
  q->bind(3, BucketOf(zone.LocalDayStartMs(day + 1) + kBucketMs - 1));
  while (q->executeStep()) sketch.Add(q->getColumn(0).getString());
  return sketch;
}

HyperLogLog CustomerViewWriter::ScopeDayFromMembers(const std::string& scope, int64_t day) {
  std::vector<std::string> stores;
  {
    StatementUse q(*statements_->members_on);
    q->bind(1, scope);
    q->bind(2, day);
    while (q->executeStep()) stores.push_back(q->getColumn(0).getString());
  }
  HyperLogLog sketch;
  for (const std::string& store : stores) {
    StatementUse get(statements_->get_sketch);
    get->bind(1, StoreScope(store));
    get->bind(2, day);
    if (!get->executeStep()) continue;
    StatusOr<HyperLogLog> stored = ReadBlob(get->getColumn(0));
    if (!stored.ok()) {
      throw SQLite::Exception("customer_sketch store:" + store + " day " + std::to_string(day) +
                                  ": " + stored.status().message(),
                              SQLITE_CORRUPT);
    }
    sketch.Merge(*stored);
  }
  return sketch;
}

Status ReadViewSketches(StatementCache& statements, const std::string& scope, int64_t from_day,
                        int64_t to_day, const CustomerReader::SketchSink& sink) {
  try {
    StatementUse q(statements.Get(
        "SELECT day, sketch FROM customer_sketch WHERE scope = ? AND day >= ? AND day < ?"));
    q->bind(1, scope);
    q->bind(2, from_day);
    q->bind(3, to_day);
    HyperLogLog sketch;  // one for every row: its memory is reused
    while (q->executeStep()) {
      const SQLite::Column blob = q->getColumn(1);
      const int64_t day = q->getColumn(0).getInt64();
      Status read = HyperLogLog::DeserializeInto(
          std::string_view(static_cast<const char*>(blob.getBlob()), blob.getBytes()), &sketch);
      if (!read.ok()) {
        return Internal("customer_sketch " + scope + " day " + std::to_string(day) + ": " +
                        read.message());
      }
      sink(day, sketch);
    }
    return OkStatus();
  } catch (const std::exception& e) {
    return Internal(std::string("cannot read customer_sketch: ") + e.what());
  }
}

Status ReadViewNewCounts(StatementCache& statements, const std::string& scope, int64_t from_day,
                         int64_t to_day, const CustomerReader::DayCountSink& sink) {
  try {
    StatementUse q(statements.Get(
        "SELECT day, customers FROM customer_new_day WHERE scope = ? AND day >= ? AND day < ? "
        "AND customers != 0"));
    q->bind(1, scope);
    q->bind(2, from_day);
    q->bind(3, to_day);
    while (q->executeStep()) sink(q->getColumn(0).getInt64(), q->getColumn(1).getInt64());
    return OkStatus();
  } catch (const std::exception& e) {
    return Internal(std::string("cannot read customer_new_day: ") + e.what());
  }
}

Status ReadViewMembers(StatementCache& statements, std::string_view prefix,
                       const ScopeFirstsReader::MemberSink& sink) {
  try {
    StatementUse q(
        statements.Get("SELECT scope, store, first_day, last_day FROM customer_sketch_member "
                       "WHERE scope >= ? AND scope < ?"));
    q->bind(1, std::string(prefix));
    q->bind(2, std::string(prefix) + "\xff");  // every name that starts with `prefix`
    while (q->executeStep()) {
      sink(q->getColumn(0).getString(), q->getColumn(1).getString(), q->getColumn(2).getInt64(),
           q->getColumn(3).getInt64());
    }
    return OkStatus();
  } catch (const std::exception& e) {
    return Internal(std::string("cannot read customer_sketch_member: ") + e.what());
  }
}

}  // namespace storepulse::common
