// The measure tables: summed base measures per store × 15-minute UTC bucket × channel
// (`measures_15m`), and the same per store × local day × channel (`measures_day`) so that a month's
// KPIs read ~30 rows per channel instead of ~3,000. One schema for the edge and central databases.
//
// Schema (version 1), both tables WITHOUT ROWID:
//   measures_15m(store TEXT, bucket INTEGER, channel INTEGER, <one INTEGER column per Measure>,
//                PRIMARY KEY(store, bucket, channel))
//   measures_day(store TEXT, day INTEGER, channel INTEGER, <same columns>,
//                PRIMARY KEY(store, day, channel))
// `bucket` is BucketOf(ts), `day` the store's local day number (TimeZone), `channel` the Channel.
//
// Not thread-safe: use one MeasureTable per connection, from one thread at a time.
#pragma once

#include <memory>
#include <string>

#include "common/kpi/kpi_query.h"
#include "common/kpi/measures.h"
#include "common/status.h"
#include "common/time_zone.h"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace storepulse::common {

// Creates both tables if missing. REQUIRES: a writable connection.
Status CreateMeasureTables(SQLite::Database& db);

// Adds deltas into both grains. REQUIRES: called inside the caller's write transaction.
class MeasureWriter {
 public:
  explicit MeasureWriter(SQLite::Database& db);
  ~MeasureWriter();
  MeasureWriter(const MeasureWriter&) = delete;
  MeasureWriter& operator=(const MeasureWriter&) = delete;

  // Throws SQLite::Exception on a database error (the caller's transaction then rolls back).
  void Add(const std::string& store, const TimeZone& zone, const MeasureDeltas& deltas);
  // Recomputes measures_day of `store` from measures_15m (after a change of time zone).
  void RebuildDays(const std::string& store, const TimeZone& zone);

 private:
  void Upsert(SQLite::Statement& statement, const std::string& store, int64_t index,
              Channel channel, const Measures& m);
  SQLite::Database& db_;
  std::unique_ptr<SQLite::Statement> upsert_15m_;
  std::unique_ptr<SQLite::Statement> upsert_day_;
};

// MeasureReader over one store's rows. Not owned: `db` must outlive the reader.
class SqliteMeasureReader final : public MeasureReader {
 public:
  SqliteMeasureReader(SQLite::Database& db, std::string store) : db_(db), store_(std::move(store)) {}
  Status ReadBuckets(int64_t from_bucket, int64_t to_bucket, const Sink& sink) override;
  Status ReadDays(int64_t from_day, int64_t to_day, const Sink& sink) override;

 private:
  Status Read(const char* table, const char* index_column, int64_t from, int64_t to,
              const Sink& sink);
  SQLite::Database& db_;
  std::string store_;
};

}  // namespace storepulse::common
