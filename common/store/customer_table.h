// The customer tables behind the distinct-customer KPIs (common/kpi/customers.h), in the edge and
// central databases alike. Schema (version 1), WITHOUT ROWID:
//   customer_seen(store TEXT, bucket INTEGER, customer TEXT, PRIMARY KEY(store, bucket, customer))
//   customer_first(store TEXT, customer TEXT, first_ts INTEGER, PRIMARY KEY(store, customer))
//     + index customer_first_ts(store, first_ts)
//   customer_day(store TEXT, day INTEGER, customer TEXT, PRIMARY KEY(store, day, customer))
//   customer_day_count(store TEXT, day INTEGER, customers INTEGER, PRIMARY KEY(store, day))
//     the distinct customers of each local day (the buckets starting in it), counted as they are
//     stored so a one-day query reads one row; a day without a count row is read from
//     customer_seen (days stored before these tables, or before a change of time zone). Written
//     at the edge only: central, whose single writer bounds the network, reads the sets.
// and at central only (`with_scopes`):
//   customer_first_region(region TEXT, customer TEXT, first_ts INTEGER, store TEXT,
//                         PRIMARY KEY(region, customer)) + index on (region, first_ts)
//   customer_first_network(customer TEXT PRIMARY KEY, first_ts INTEGER, store TEXT)
//                         + index on (first_ts)
// first_ts is the earliest identified sale by event time, whatever order events arrive in; at a
// region or the network, between sales at the same instant, the one of the first store by id.
// Not thread-safe: one writer or reader per connection and thread.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/event.h"
#include "common/kpi/customers.h"
#include "common/status.h"
#include "common/time_zone.h"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace storepulse::common {

Status CreateCustomerTables(SQLite::Database& db, bool with_scopes);

// Records identified sales. REQUIRES: inside the caller's write transaction.
class CustomerWriter {
 public:
  CustomerWriter(SQLite::Database& db, bool with_scopes);
  ~CustomerWriter();
  CustomerWriter(const CustomerWriter&) = delete;
  CustomerWriter& operator=(const CustomerWriter&) = delete;

  // What one batch of a store adds to its day counts, written once by Flush.
  struct DayTally {
    std::set<int64_t> opened;          // days whose count row is known to exist
    std::map<int64_t, int64_t> added;  // customers new to a day
  };

  // Throws SQLite::Exception on a database error. `region` is used with scopes only.
  void Add(const std::string& store, const std::string& region, const TimeZone& zone,
           const Event& event, DayTally* tally);
  // Writes the day counts `tally` gathered for `store`.
  void Flush(const std::string& store, const DayTally& tally);
  // After a change of the store's time zone: its day rows are dropped (read from customer_seen
  // until a day is touched again).
  static void ForgetDays(SQLite::Database& db, const std::string& store);

 private:
  void OpenDayCount(const std::string& store, const TimeZone& zone, int64_t day);

  struct Statements;
  std::unique_ptr<Statements> statements_;
};

class SqliteCustomerReader final : public CustomerReader {
 public:
  SqliteCustomerReader(SQLite::Database& db, std::string store)
      : db_(db), store_(std::move(store)) {}
  Status ReadSeen(int64_t from_bucket, int64_t to_bucket, const SeenSink& sink) override;
  Status ReadDayCounts(int64_t from_day, int64_t to_day, const DayCountSink& sink) override;
  Status ReadFirsts(int64_t from_ms, int64_t to_ms, const FirstSink& sink) override;

 private:
  SQLite::Database& db_;
  std::string store_;
};

class SqliteScopeFirstsReader final : public ScopeFirstsReader {
 public:
  explicit SqliteScopeFirstsReader(SQLite::Database& db) : db_(db) {}
  Status ReadFirsts(const std::string& scope, int64_t from_ms, int64_t to_ms,
                    const Sink& sink) override;

 private:
  SQLite::Database& db_;
};

}  // namespace storepulse::common
