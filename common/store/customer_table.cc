#include "common/store/customer_table.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <optional>

#include "common/kpi/measures.h"
#include "common/sketch/hash64.h"
#include "common/store/customer_backfill.h"
#include "common/store/scope_measures.h"
#include "common/store/sqlite_errors.h"
#include "common/store/statement_use.h"

namespace storepulse::common {

namespace {
// Replaces a first purchase the writer has found to be later than the one it holds.
constexpr const char* kReplaceFirst =
    " ON CONFLICT DO UPDATE SET first_ts = excluded.first_ts, store = excluded.store,"
    " first_day = excluded.first_day";
}  // namespace

namespace {

bool TableExists(SQLite::Database& db, const char* table) {
  SQLite::Statement q(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  q.bind(1, table);
  return q.executeStep();
}

// Adds first_day to a first-purchase table made before it.
void AddFirstDay(SQLite::Database& db, const char* table) {
  SQLite::Statement q(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = 'first_day'");
  q.bind(1, table);
  if (!q.executeStep()) {
    db.exec(std::string("ALTER TABLE ") + table + " ADD COLUMN first_day INTEGER");
  }
}

}  // namespace

Status CreateCustomerTables(SQLite::Database& db, bool with_scopes) {
  try {
    // A database with customers but no views was made before them: its history is not in them.
    const bool backfill_needed = !TableExists(db, "customer_sketch") &&
                                 TableExists(db, "customer_first") &&
                                 db.execAndGet("SELECT EXISTS(SELECT 1 FROM customer_first)")
                                         .getInt() != 0;
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
    if (with_scopes) {
      db.exec(
          "CREATE TABLE IF NOT EXISTS customer_first_region(region TEXT NOT NULL, customer TEXT "
          "NOT NULL, first_ts INTEGER NOT NULL, store TEXT NOT NULL, first_day INTEGER, "
          "PRIMARY KEY(region, customer)) WITHOUT ROWID");
      db.exec(
          "CREATE INDEX IF NOT EXISTS customer_first_region_ts ON customer_first_region(region, "
          "first_ts)");
      db.exec(
          "CREATE TABLE IF NOT EXISTS customer_first_network(customer TEXT PRIMARY KEY, "
          "first_ts INTEGER NOT NULL, store TEXT NOT NULL, first_day INTEGER) WITHOUT ROWID");
      db.exec(
          "CREATE INDEX IF NOT EXISTS customer_first_network_ts ON "
          "customer_first_network(first_ts)");
      AddFirstDay(db, "customer_first_region");
      AddFirstDay(db, "customer_first_network");
    }
    return CreateCustomerViewTables(db, with_scopes, backfill_needed);
  } catch (const std::exception& e) {
    return SqliteErrorStatus(db, e, "create the customer tables");
  }
}

struct CustomerWriter::Statements {
  Statements(SQLite::Database& db, bool with_scopes)
      : seen(db, "INSERT OR IGNORE INTO customer_seen(store, bucket, customer) VALUES(?, ?, ?)"),
        get_first(db, "SELECT first_ts FROM customer_first WHERE store = ? AND customer = ?"),
        put_first(db,
                  "INSERT INTO customer_first(store, customer, first_ts) VALUES(?, ?, ?) "
                  "ON CONFLICT DO UPDATE SET first_ts = excluded.first_ts"),
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
    get_region = std::make_unique<SQLite::Statement>(
        db, "SELECT first_ts, first_day, store FROM customer_first_region WHERE region = ? AND "
            "customer = ?");
    put_region = std::make_unique<SQLite::Statement>(
        db, std::string("INSERT INTO customer_first_region(region, customer, first_ts, store, "
                        "first_day) VALUES(?, ?, ?, ?, ?)") + kReplaceFirst);
    get_network = std::make_unique<SQLite::Statement>(
        db, "SELECT first_ts, first_day, store FROM customer_first_network WHERE customer = ?");
    put_network = std::make_unique<SQLite::Statement>(
        db, std::string("INSERT INTO customer_first_network(customer, first_ts, store, "
                        "first_day) VALUES(?, ?, ?, ?)") + kReplaceFirst);
  }
  SQLite::Statement seen, get_first, put_first, day, open_count, backfill, recount, add_count;
  std::unique_ptr<SQLite::Statement> get_region, put_region, get_network, put_network;
};

namespace {

// A customer id as TEXT, without a copy: it points into an event that outlives the statement's
// use.
void BindValue(SQLite::Statement& statement, int index, const std::string* text) {
  statement.bindNoCopy(index, *text);
}
template <typename Value>
void BindValue(SQLite::Statement& statement, int index, const Value& value) {
  statement.bind(index, value);
}

template <typename... Values>
int Run(SQLite::Statement& statement, const Values&... values) {
  StatementUse use(statement);
  int i = 0;
  (BindValue(*use, ++i, values), ...);
  return use->exec();
}

// Sorts and drops repeats: each key is written once per batch, in the table's key order.
void SortUnique(std::vector<std::pair<int64_t, const std::string*>>* keys) {
  auto less = [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : *a.second < *b.second;
  };
  auto same = [](const auto& a, const auto& b) {
    return a.first == b.first && *a.second == *b.second;
  };
  std::sort(keys->begin(), keys->end(), less);
  keys->erase(std::unique(keys->begin(), keys->end(), same), keys->end());
}

}  // namespace

CustomerWriter::CustomerWriter(SQLite::Database& db, bool with_scopes)
    : statements_(std::make_unique<Statements>(db, with_scopes)), views_(db, with_scopes) {}

CustomerWriter::~CustomerWriter() = default;

void CustomerWriter::Add(const std::string& store, const std::string& region,
                         const TimeZone& zone, const Event& e, DayTally* tally) {
  if (e.type != EventType::kSale || e.customer.empty()) return;
  const int64_t ts = e.ts_ms;
  const int64_t bucket = BucketOf(ts);
  const int64_t day = zone.LocalDayOf(bucket * kBucketMs);  // the day the bucket starts in
  const std::string* customer = &e.customer;
  tally->seen.emplace_back(bucket, customer);
  // Day sets and counts at the edge only: central's writer is the network's bottleneck, and its
  // one-store day rows are read from the sets (the same figures, exactly).
  const bool central = statements_->get_region != nullptr;
  if (!central) tally->days.emplace_back(day, customer);
  tally->zone = &zone;
  // Only the earliest sale of a customer in the batch can be its first purchase: the later ones
  // would be compared with it and kept out (the net change of the day counts is the same).
  auto [earliest, added] = tally->earliest.try_emplace(e.customer, customer, ts);
  if (!added) earliest->second.second = std::min(earliest->second.second, ts);
  const uint64_t hash = Hash64(e.customer);
  tally->sketches[{StoreScope(store), day}].AddHash(hash);
  if (!central) return;
  const int64_t first_day = zone.LocalDayOf(ts);
  for (const std::string& scope : {RegionScope(region), std::string(kNetworkScope)}) {
    tally->sketches[{scope, day}].AddHash(hash);
    auto& [first, last] = tally->member_days.try_emplace(scope, day, day).first->second;
    first = std::min({first, day, first_day});
    last = std::max({last, day, first_day});
  }
}

void CustomerWriter::KeepFirst(const std::string& store, const std::string& customer, int64_t ts,
                               const TimeZone& zone, DayTally* tally) {
  Statements& s = *statements_;
  std::optional<int64_t> held;
  {
    StatementUse get(s.get_first);
    get->bindNoCopy(1, store);
    get->bindNoCopy(2, customer);
    if (get->executeStep()) held = get->getColumn(0).getInt64();
  }
  if (held && *held <= ts) return;
  Run(s.put_first, store, &customer, ts);
  const std::string scope = StoreScope(store);
  if (held) --tally->firsts[{scope, zone.LocalDayOf(*held)}];  // moved earlier: off its old day
  ++tally->firsts[{scope, zone.LocalDayOf(ts)}];
}

void CustomerWriter::KeepScopeFirst(SQLite::Statement& get_statement,
                                    SQLite::Statement& put_statement, const std::string& scope,
                                    const std::string& key, const std::string& store,
                                    const std::string& customer, int64_t ts, int64_t day,
                                    DayTally* tally) {
  const bool network = key.empty();
  std::optional<int64_t> held, held_day;
  std::string held_store;
  {
    StatementUse get(get_statement);
    int i = 0;
    if (!network) get->bindNoCopy(++i, key);
    get->bindNoCopy(++i, customer);
    if (get->executeStep()) {
      held = get->getColumn(0).getInt64();
      if (!get->getColumn(1).isNull()) held_day = get->getColumn(1).getInt64();
      held_store = get->getColumn(2).getString();
    }
  }
  // The earliest sale; between two stores' sales at the same instant, the first store by id, so
  // the winner does not depend on the order the events are folded in.
  if (held && (*held < ts || (*held == ts && held_store <= store))) return;
  if (network) {
    Run(put_statement, &customer, ts, store, day);
  } else {
    Run(put_statement, key, &customer, ts, store, day);
  }
  // A row stored before first_day (NULL) was not counted on any day: nothing to take off.
  if (held_day) --tally->firsts[{scope, *held_day}];
  ++tally->firsts[{scope, day}];
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

void CustomerWriter::Flush(const std::string& store, const std::string& region, DayTally& tally) {
  Statements& s = *statements_;
  const bool central = s.get_region != nullptr;
  if (!central) {
    // Each day's count row first, made from the customer_seen rows stored before this batch.
    SortUnique(&tally.days);
    for (size_t i = 0; i < tally.days.size(); ++i) {
      if (i == 0 || tally.days[i].first != tally.days[i - 1].first) {
        OpenDayCount(store, *tally.zone, tally.days[i].first);
      }
    }
  }
  SortUnique(&tally.seen);
  for (const auto& [bucket, customer] : tally.seen) Run(s.seen, store, bucket, customer);
  for (const auto& [day, customer] : tally.days) {
    if (Run(s.day, store, day, customer) == 1) ++tally.added[day];
  }
  std::vector<std::pair<const std::string*, int64_t>> earliest;
  earliest.reserve(tally.earliest.size());
  for (const auto& [id, first] : tally.earliest) earliest.push_back(first);
  std::sort(earliest.begin(), earliest.end(),
            [](const auto& a, const auto& b) { return *a.first < *b.first; });
  for (const auto& [customer, ts] : earliest) KeepFirst(store, *customer, ts, *tally.zone, &tally);
  if (central) {
    const std::string region_scope = RegionScope(region);
    const std::string network_scope(kNetworkScope);
    for (const auto& [customer, ts] : earliest) {
      KeepScopeFirst(*s.get_region, *s.put_region, region_scope, region, store, *customer, ts,
                     tally.zone->LocalDayOf(ts), &tally);
    }
    for (const auto& [customer, ts] : earliest) {
      KeepScopeFirst(*s.get_network, *s.put_network, network_scope, "", store, *customer, ts,
                     tally.zone->LocalDayOf(ts), &tally);
    }
  }
  for (const auto& [day, added] : tally.added) Run(s.add_count, store, day, added);
  for (const auto& [key, delta] : tally.firsts) {
    if (delta != 0) views_.AddNew(key.first, key.second, delta);
  }
  for (const auto& [scope, days] : tally.member_days) {
    views_.ExtendMember(scope, store, days.first, days.second);
  }
  // The store's own days first: a region's or the network's day that must be rebuilt is rebuilt
  // from its stores' days, this batch included.
  const std::string own = StoreScope(store);
  for (const bool stores : {true, false}) {
    for (const auto& [key, sketch] : tally.sketches) {
      const auto& [scope, day] = key;
      if ((scope == own) != stores) continue;
      views_.MergeSketch(scope, day, sketch, [&, &scope = scope, day = day] {
        return stores ? views_.StoreDayFromSeen(store, *tally.zone, day)
                      : views_.ScopeDayFromMembers(scope, day);
      });
    }
  }
}

void CustomerWriter::ForgetDays(SQLite::Database& db, const std::string& store,
                                const TimeZone& zone) {
  for (const char* table : {"customer_day", "customer_day_count"}) {
    SQLite::Statement erase(db, std::string("DELETE FROM ") + table + " WHERE store = ?");
    erase.bind(1, store);
    erase.exec();
  }
  RebuildStoreViews(db, store, zone);
}

namespace {

// Runs `columns` FROM `table` WHERE store = `store` AND `range` in [from, to), each row to `emit`.
template <typename Emit>
Status ReadStoreRange(StatementCache& statements, const std::string& store, const char* columns,
                      const char* table, const char* range, int64_t from, int64_t to,
                      const Emit& emit) {
  try {
    StatementUse q(statements.Get(std::string("SELECT ") + columns + " FROM " + table +
                                  " WHERE store = ? AND " + range + " >= ? AND " + range +
                                  " < ?"));
    q->bind(1, store);
    q->bind(2, from);
    q->bind(3, to);
    while (q->executeStep()) emit(*q);
    return OkStatus();
  } catch (const std::exception& e) {
    return SqliteErrorStatus(statements.db(), e, std::string("read ") + table);
  }
}

}  // namespace

Status SqliteCustomerReader::ReadSeen(int64_t from_bucket, int64_t to_bucket,
                                      const SeenSink& sink) {
  return ReadStoreRange(statements_, store_, "bucket, customer", "customer_seen", "bucket",
                        from_bucket, to_bucket, [&](SQLite::Statement& q) {
                          sink(q.getColumn(0).getInt64(), q.getColumn(1).getString());
                        });
}

Status SqliteCustomerReader::ReadDayCounts(int64_t from_day, int64_t to_day,
                                           const DayCountSink& sink) {
  return ReadStoreRange(statements_, store_, "day, customers", "customer_day_count", "day",
                        from_day, to_day, [&](SQLite::Statement& q) {
                          sink(q.getColumn(0).getInt64(), q.getColumn(1).getInt64());
                        });
}

Status SqliteCustomerReader::ReadFirsts(int64_t from_ms, int64_t to_ms, const FirstSink& sink) {
  return ReadStoreRange(statements_, store_, "first_ts, customer", "customer_first", "first_ts",
                        from_ms, to_ms, [&](SQLite::Statement& q) {
                          sink(q.getColumn(0).getInt64(), q.getColumn(1).getString());
                        });
}

Status SqliteScopeFirstsReader::ReadFirsts(const std::string& scope, int64_t from_ms,
                                           int64_t to_ms, const Sink& sink) {
  try {
    const bool network = scope == "network";
    StatementUse q(statements_.Get(
        network
            ? "SELECT first_ts, store, customer FROM customer_first_network WHERE first_ts >= ? "
              "AND first_ts < ?"
            : "SELECT first_ts, store, customer FROM customer_first_region WHERE first_ts >= ? "
              "AND first_ts < ? AND region = ?"));
    q->bind(1, static_cast<int64_t>(from_ms));
    q->bind(2, static_cast<int64_t>(to_ms));
    if (!network) q->bind(3, scope.substr(scope.find(':') + 1));
    while (q->executeStep()) {
      sink(q->getColumn(0).getInt64(), q->getColumn(1).getString(), q->getColumn(2).getString());
    }
    return OkStatus();
  } catch (const std::exception& e) {
    return SqliteErrorStatus(statements_.db(), e, "read the first purchases");
  }
}

Status SqliteCustomerReader::ReadDaySketches(int64_t from_day, int64_t to_day,
                                             const SketchSink& sink) {
  return ReadViewSketches(statements_, StoreScope(store_), from_day, to_day, sink);
}

Status SqliteCustomerReader::ReadNewDayCounts(int64_t from_day, int64_t to_day,
                                              const DayCountSink& sink) {
  return ReadViewNewCounts(statements_, StoreScope(store_), from_day, to_day, sink);
}

Status SqliteScopeFirstsReader::ReadDaySketches(const std::string& scope, int64_t from_day,
                                                int64_t to_day, const SketchSink& sink) {
  return ReadViewSketches(statements_, scope, from_day, to_day, sink);
}

Status SqliteScopeFirstsReader::ReadNewDayCounts(const std::string& scope, int64_t from_day,
                                                 int64_t to_day, const DayCountSink& sink) {
  return ReadViewNewCounts(statements_, scope, from_day, to_day, sink);
}

Status SqliteScopeFirstsReader::ReadMeasureDays(
    const std::string& scope, int64_t from_day, int64_t to_day,
    const std::function<void(int64_t, Channel, const Measures&)>& sink) {
  return ReadScopeMeasureDays(statements_, scope, from_day, to_day, sink);
}

Status SqliteScopeFirstsReader::ReadMembers(std::string_view prefix, const MemberSink& sink) {
  return ReadViewMembers(statements_, prefix, sink);
}

}  // namespace storepulse::common
