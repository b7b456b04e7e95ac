// The measures of a region and of the network per local day (central only): what lets a network
// or region month be read as ~30 day rows per channel instead of ~30 per store.
//
// Schema (central version 3), WITHOUT ROWID:
//   scope_measures_day(scope TEXT, day INTEGER, channel INTEGER, <measures, nullable>,
//                      PRIMARY KEY(scope, day, channel))
// `scope` is "region:R" or "network" (common/kpi/customers.h) and `day` the local day of the store
// where the event happened, as in customer_sketch: a region's day d sums its stores' own days d.
// The view pass adds each store's day rows to its region's and the network's in the same
// transaction, and records the store as a member of both on those days (customer_sketch_member,
// common/store/customer_views.h): the rows stand for a set of stores only when the members match
// it (common/kpi/scope_covers.h), so a store moved to another region is read store by store.
//
// A sum that would leave the int64 range (each store's fits, the region's would not) is stored as
// NULL, never refused: the stores' own rows are still folded, and a read of that scope day answers
// OutOfRange, as summing the stores one by one would.
//
// Not thread-safe: one writer per connection.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/kpi/kpi_query.h"
#include "common/kpi/measures.h"
#include "common/status.h"
#include "common/store/customer_backfill.h"
#include "common/store/statement_cache.h"
#include "common/time_zone.h"

namespace SQLite {
class Database;
}

namespace storepulse::common {

// Creates the table if missing.
Status CreateScopeMeasureTable(SQLite::Database& db);

class ScopeMeasureWriter {
 public:
  explicit ScopeMeasureWriter(SQLite::Database& db);
  ~ScopeMeasureWriter();
  ScopeMeasureWriter(const ScopeMeasureWriter&) = delete;
  ScopeMeasureWriter& operator=(const ScopeMeasureWriter&) = delete;

  // Adds `store`'s 15-minute deltas, on its local days in `zone`, to the day rows of its region's
  // and the network's scopes. Throws SQLite::Exception on a database error. REQUIRES: inside the
  // caller's write transaction, which also writes the store's own rows.
  void Add(const std::string& store, const std::string& region, const TimeZone& zone,
           const MeasureDeltas& deltas);

 private:
  struct Statements;
  std::unique_ptr<Statements> statements_;
};

// The meta key present while a database upgraded to schema 3 (central) still lacks the rows.
inline constexpr char kScopeMeasuresFillKey[] = "scope_measures_fill";

// False while kScopeMeasuresFillKey is in meta.
StatusOr<bool> ScopeMeasuresReady(StatementCache& statements);

// The scope's day rows on local days [from_day, to_day), each channel's row given to `sink`.
// OutOfRange for a row that holds a NULL (a sum beyond the int64 range).
Status ReadScopeMeasureDays(StatementCache& statements, const std::string& scope, int64_t from_day,
                            int64_t to_day, const MeasureReader::Sink& sink);

// A central database made before this table (schema 2) has the table empty: fills it from every
// store's day rows, each store in the region `stores` gives it (a store of the database the list
// lacks: in region ""), and records the members. REQUIRES: inside a write transaction, before the
// view pass starts. Throws SQLite::Exception on a database error.
void FillScopeMeasures(SQLite::Database& db, const std::vector<CustomerStore>& stores);

}  // namespace storepulse::common
