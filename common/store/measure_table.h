// The measure tables: summed base measures per store × 15-minute UTC bucket × channel
// (`measures_15m`), the same per store × local day × channel (`measures_day`) so that a month's
// KPIs read ~30 rows per channel instead of ~3,000, and the breakdowns: by employee at both grains
// (`dims_15m`, `dims_day`), by SKU and by source (till, counter) per local day only (`dims_day`).
// One schema for the edge and central databases.
//
// Schema (version 1), every table WITHOUT ROWID, one INTEGER column per Measure:
//   measures_15m(store TEXT, bucket INTEGER, channel INTEGER, <measures>,
//                PRIMARY KEY(store, bucket, channel))
//   measures_day(store TEXT, day INTEGER, channel INTEGER, <measures>,
//                PRIMARY KEY(store, day, channel))
//   dims_15m(store TEXT, dim INTEGER, bucket INTEGER, key TEXT, <measures>,
//            PRIMARY KEY(store, dim, bucket, key))
//   dims_day(store TEXT, dim INTEGER, day INTEGER, key TEXT, <measures>,
//            PRIMARY KEY(store, dim, day, key))
// `bucket` is BucketOf(ts), `day` the store's local day number (TimeZone), `channel` the Channel,
// `dim` the Dimension and `key` the employee, the SKU or the source (SourceKey: "till:3").
//
// Not thread-safe: use one MeasureWriter/reader per connection, from one thread at a time.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "common/kpi/dimensions.h"
#include "common/kpi/kpi_query.h"
#include "common/kpi/measures.h"
#include "common/status.h"
#include "common/store/statement_cache.h"
#include "common/time_zone.h"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace storepulse::common {

// Creates the tables if missing. REQUIRES: a writable connection.
Status CreateMeasureTables(SQLite::Database& db);
// A schema step's part when it appends measures: adds the columns of `measures` to each measure
// table that exists without them (measures_15m, measures_day, dims_15m, dims_day and central's
// scope_measures_day), 0 in every row (NOT NULL but in scope_measures_day, as the tables are
// created). A table created at the current version has them already. Idempotent.
// REQUIRES: inside the step's write transaction.
Status AddMeasureColumns(SQLite::Database& db, std::initializer_list<Measure> measures);

// The SQL of the tables, for the other tables of measures (common/store/scope_measures.h):
// ", gross_sales, transactions, …" in Measure order;
std::string MeasureColumns();
// a table of key columns `keys` ("store TEXT NOT NULL, day INTEGER NOT NULL, …") and an INTEGER
// column per measure, NOT NULL unless `nullable`;
std::string CreateMeasureTableSql(const std::string& table, const std::string& keys,
                                  const std::string& primary_key, bool nullable);
// an upsert adding the measures of `mask` (bit i: kMeasureNames[i]), bound in that order after the
// `key_count` key columns `keys` ("store, day, channel"), to their row — a new row has 0 in the
// others —, where a sum that would leave the int64 range becomes NULL.
inline constexpr uint64_t kAllMeasures = (uint64_t{1} << kMeasureCount) - 1;
std::string MeasureUpsertSql(const std::string& table, const std::string& keys, int key_count,
                             uint64_t mask);

// Adds deltas into both grains. REQUIRES: called inside the caller's write transaction. Every sum
// is checked: a stored total that would leave the int64 range is OutOfRange, naming the measure
// and the row, and the caller must roll its transaction back (the rows written before stay in it).
class MeasureWriter {
 public:
  explicit MeasureWriter(SQLite::Database& db);
  ~MeasureWriter();
  MeasureWriter(const MeasureWriter&) = delete;
  MeasureWriter& operator=(const MeasureWriter&) = delete;

  // OutOfRange when a total would overflow; throw SQLite::Exception on a database error (the
  // caller's transaction then rolls back).
  Status Add(const std::string& store, const TimeZone& zone, const MeasureDeltas& deltas);
  Status Add(const std::string& store, const TimeZone& zone, const DimensionDeltas& deltas);
  // Recomputes the day tables of `store` from the 15-minute ones (after a change of time zone).
  Status RebuildDays(const std::string& store, const TimeZone& zone);

 private:
  struct Statements;
  SQLite::Database& db_;
  std::unique_ptr<Statements> statements_;
};

// MeasureReader over one store's rows, on the statements of `statements` (shared by the readers of
// every store of a query). Not owned: `statements` must outlive the reader. A stored value
// that is not an integer (a total that overflowed into a REAL under an earlier version) is an
// OutOfRange error, never read as a saturated number.
class SqliteMeasureReader final : public MeasureReader {
 public:
  SqliteMeasureReader(StatementCache& statements, std::string store)
      : statements_(statements), store_(std::move(store)) {}
  Status ReadBuckets(int64_t from_bucket, int64_t to_bucket, const Sink& sink) override;
  Status ReadDays(int64_t from_day, int64_t to_day, const Sink& sink) override;
  bool InScopeViews() const override { return true; }
  Status ReadDimension(Dimension dimension, Grain grain, int64_t from, int64_t to,
                       const KeyedSink& sink) override;

 private:
  Status Read(const char* table, const char* index_column, int64_t from, int64_t to,
              const Sink& sink);
  StatementCache& statements_;
  std::string store_;
};

}  // namespace storepulse::common
