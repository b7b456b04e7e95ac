// The customer views (common/kpi/customers.h): per scope and local day, a HyperLogLog sketch of
// the customers who bought and the number of customers whose first purchase at that scope falls on
// it — what lets a month of the network be answered from ~30 sketches and ~30 counts instead of
// every customer id of the month. Schema (edge and central; version 1 of the customer tables):
//   customer_sketch(scope TEXT, day INTEGER, sketch BLOB, PRIMARY KEY(scope, day))
//     a rowid table: a dense sketch is 12 KB, too large a row for WITHOUT ROWID.
//   customer_new_day(scope TEXT, day INTEGER, customers INTEGER, PRIMARY KEY(scope, day))
//     WITHOUT ROWID; a late event that moves a first purchase earlier moves its count.
//   customer_view_state(key TEXT PRIMARY KEY, value TEXT): ('backfill', 'pending') while a
//     database made before these tables still lacks its history in them.
// and at central only:
//   customer_sketch_member(scope TEXT, store TEXT, first_day INTEGER, last_day INTEGER,
//                          PRIMARY KEY(scope, store)) WITHOUT ROWID
//     the stores whose sales a region's or the network's views hold, and on which days.
// `scope` is "store:S", and at central also "region:R" or "network"; `day` is the local day number
// of the store where the sale (or the first purchase) happened, so a region's day d is the union
// of its stores' own local days d, as every network figure counts days.
// Not thread-safe: one writer per connection.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/kpi/customers.h"
#include "common/sketch/hyperloglog.h"
#include "common/status.h"
#include "common/store/statement_cache.h"
#include "common/time_zone.h"

namespace SQLite {
class Database;
}

namespace storepulse::common {

// Creates the view tables if missing. `backfill_needed`: the database already holds customers
// (it was made before these tables), so the history must be folded in by
// BackfillCustomerSketches; it is then marked pending.
Status CreateCustomerViewTables(SQLite::Database& db, bool with_scopes, bool backfill_needed);
// False while a backfill is pending.
StatusOr<bool> CustomerViewsReady(StatementCache& statements);
void MarkCustomerViewsReady(SQLite::Database& db);

// The reads behind the KPI readers (customer_table.h): the sketches of `scope` on local days
// [from_day, to_day) (Internal, naming the row, for one that cannot be read), its non-zero new
// customer counts, and the members of every scope whose name starts with `prefix`.
Status ReadViewSketches(StatementCache& statements, const std::string& scope, int64_t from_day,
                        int64_t to_day, const CustomerReader::SketchSink& sink);
Status ReadViewNewCounts(StatementCache& statements, const std::string& scope, int64_t from_day,
                         int64_t to_day, const CustomerReader::DayCountSink& sink);
Status ReadViewMembers(StatementCache& statements, std::string_view prefix,
                       const ScopeFirstsReader::MemberSink& sink);

// Writes the view rows. Every method throws SQLite::Exception on a database error; a stored
// sketch that cannot be read is rebuilt from what it summarises (and logged), and only when that
// fails too is it an error (SQLITE_CORRUPT). REQUIRES: inside the caller's write transaction.
class CustomerViewWriter {
 public:
  CustomerViewWriter(SQLite::Database& db, bool with_scopes);
  ~CustomerViewWriter();
  CustomerViewWriter(const CustomerViewWriter&) = delete;
  CustomerViewWriter& operator=(const CustomerViewWriter&) = delete;

  // customer_new_day(scope, day) += delta.
  void AddNew(const std::string& scope, int64_t day, int64_t delta);
  // The stored sketch of (scope, day) becomes its union with `sketch`. `rebuild` returns the
  // whole day's sketch, for a stored one that cannot be read.
  void MergeSketch(const std::string& scope, int64_t day, const HyperLogLog& sketch,
                   const std::function<HyperLogLog()>& rebuild);
  void PutSketch(const std::string& scope, int64_t day, const HyperLogLog& sketch);
  // `store` is in `scope`'s views on [first_day, last_day] (widening what is recorded).
  void ExtendMember(const std::string& scope, const std::string& store, int64_t first_day,
                    int64_t last_day);

  // A store's local day, from its exact (bucket, customer) rows.
  HyperLogLog StoreDayFromSeen(const std::string& store, const TimeZone& zone, int64_t day);
  // A region's or the network's day, as the union of its member stores' day sketches.
  HyperLogLog ScopeDayFromMembers(const std::string& scope, int64_t day);

 private:
  struct Statements;
  SQLite::Database& db_;
  std::unique_ptr<Statements> statements_;
};

}  // namespace storepulse::common
