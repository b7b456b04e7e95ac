#include "common/store/measure_table.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <set>
#include <unordered_map>

#include "common/event_errors.h"
#include "common/store/sqlite_errors.h"
#include "common/store/statement_use.h"
#include "common/time_util.h"

namespace storepulse::common {

std::string MeasureColumns() {
  std::string out;
  for (auto name : kMeasureNames) out += ", " + std::string(name);
  return out;
}

std::string CreateMeasureTableSql(const std::string& table, const std::string& keys,
                                  const std::string& primary_key, bool nullable) {
  const std::string type = nullable ? " INTEGER DEFAULT 0" : " INTEGER NOT NULL DEFAULT 0";
  std::string sql = "CREATE TABLE IF NOT EXISTS " + table + "(" + keys;
  for (auto name : kMeasureNames) sql += ", " + std::string(name) + type;
  return sql + ", PRIMARY KEY(" + primary_key + ")) WITHOUT ROWID";
}

// SQLite turns an integer sum that overflows into a REAL (which reads back saturated): such a sum
// becomes NULL instead, which a NOT NULL column refuses, so the statement fails and writes
// nothing (ExecUpsert). A REAL already stored by an earlier version in a column the upsert adds
// to is refused the same way (the readers refuse it in any column: ReadMeasures).
std::string MeasureUpsertSql(const std::string& table, const std::string& keys, int key_count,
                             uint64_t mask) {
  std::string sql = "INSERT INTO " + table + "(" + keys;
  int values = key_count;
  for (size_t i = 0; i < kMeasureCount; ++i) {
    if (mask & (uint64_t{1} << i)) {
      sql += ", " + std::string(kMeasureNames[i]);
      ++values;
    }
  }
  sql += ") VALUES(?";
  for (int i = 1; i < values; ++i) sql += ", ?";
  if (mask == 0) return sql + ") ON CONFLICT DO NOTHING";  // the row exists: nothing to add
  sql += ") ON CONFLICT DO UPDATE SET ";
  bool first = true;
  for (size_t i = 0; i < kMeasureCount; ++i) {
    if (!(mask & (uint64_t{1} << i))) continue;
    std::string name(kMeasureNames[i]);
    std::string sum = name + " + excluded." + name;
    sql += (first ? "" : ", ") + name + " = CASE typeof(" + sum + ") WHEN 'integer' THEN " + sum +
           " END";
    first = false;
  }
  return sql;
}

namespace {

// The measures a row of deltas adds to: a breakdown row holds a few of the 27 (a SKU no
// footfall, no NPS), and an upsert of those alone is a much shorter program for SQLite to run.
uint64_t NonZeroMask(const Measures& m) {
  static_assert(kMeasureCount < 64);
  uint64_t mask = 0;
  for (size_t i = 0; i < kMeasureCount; ++i) {
    if (m.v[i] != 0) mask |= uint64_t{1} << i;
  }
  return mask;
}

// Runs an upsert of MeasureUpsertSql. OutOfRange naming the measure and the row (`describe()`,
// called only then) when a sum would leave the int64 range; other database errors throw
// SQLite::Exception.
template <typename Describe>
Status ExecUpsert(SQLite::Statement& upsert, const Describe& describe) {
  try {
    upsert.exec();
    return OkStatus();
  } catch (const SQLite::Exception& e) {
    // The caller's StatementUse clears the failed step (a plain reset() would throw it again).
    if (e.getExtendedErrorCode() != SQLITE_CONSTRAINT_NOTNULL) throw;
    const std::string what = e.what();  // "NOT NULL constraint failed: measures_15m.gross_sales"
    const size_t dot = what.rfind('.');
    return OutOfRange((dot == std::string::npos ? std::string("a measure") : what.substr(dot + 1)) +
                      " of " + describe() +
                      " would exceed the 64-bit integer range (±9223372036854775807)");
  }
}

void BindMeasures(SQLite::Statement& statement, int first, const Measures& m, uint64_t mask) {
  for (size_t i = 0; i < kMeasureCount; ++i) {
    if (mask & (uint64_t{1} << i)) statement.bind(first++, m.v[i]);
  }
}

// The measures of a row; `table` names it in the error. A value that is not an integer can only be
// a sum that overflowed into a REAL under an earlier version: refused rather than read saturated.
StatusOr<Measures> ReadMeasures(SQLite::Statement& query, int first, const char* table) {
  Measures m;
  for (size_t i = 0; i < kMeasureCount; ++i) {
    SQLite::Column column = query.getColumn(first + static_cast<int>(i));
    if (!column.isInteger()) {
      return OutOfRange(std::string(table) + " holds " + std::string(kMeasureNames[i]) + " = " +
                        column.getString() +
                        ", not a 64-bit integer: a total overflowed before such batches were "
                        "refused; this store's history cannot be summed exactly");
    }
    m.v[i] = column.getInt64();
  }
  return m;
}

// "store S1, 15-minute bucket 2026-11-22T09:15:00.000Z" or "store S1, local day 2026-11-22".
std::string DescribeRow(const std::string& store, int64_t index, bool day) {
  return "store " + store + ", " +
         (day ? "local day " + TimeZone::FormatLocalDate(index)
              : "15-minute bucket " + FormatRfc3339Utc(index * kBucketMs));
}

// The upserts of one table, one per set of measures written (MeasureUpsertSql's mask), prepared on
// first use: a group writes a few shapes of rows (a SKU's sales, its returns, both), each many
// times.
class Upserts {
 public:
  Upserts(SQLite::Database& db, std::string table, std::string keys, int key_count)
      : db_(db), table_(std::move(table)), keys_(std::move(keys)), key_count_(key_count) {}
  // The upsert of the measures in `*mask`; past kMaxShapes shapes, a new shape gets the upsert of
  // every measure and `*mask` says so.
  SQLite::Statement& For(uint64_t* mask) {
    auto it = by_mask_.find(*mask);
    if (it != by_mask_.end()) return *it->second;
    if (by_mask_.size() >= kMaxShapes) *mask = kAll;
    it = by_mask_.find(*mask);
    if (it != by_mask_.end()) return *it->second;
    auto statement = std::make_unique<SQLite::Statement>(
        db_, MeasureUpsertSql(table_, keys_, key_count_, *mask));
    return *by_mask_.emplace(*mask, std::move(statement)).first->second;
  }

 private:
  static constexpr uint64_t kAll = (uint64_t{1} << kMeasureCount) - 1;
  static constexpr size_t kMaxShapes = 64;
  SQLite::Database& db_;
  const std::string table_, keys_;
  const int key_count_;
  std::unordered_map<uint64_t, std::unique_ptr<SQLite::Statement>> by_mask_;
};

Status UpsertChannel(Upserts& upserts, const std::string& store, const BucketKey& key,
                     const Measures& m, bool day) {
  uint64_t mask = NonZeroMask(m);
  StatementUse upsert(upserts.For(&mask));
  upsert->bindNoCopy(1, store);
  upsert->bind(2, static_cast<int64_t>(key.bucket));  // a bucket or a local day
  upsert->bind(3, static_cast<int>(key.channel));
  BindMeasures(*upsert, 4, m, mask);
  return ExecUpsert(*upsert, [&] {
    return DescribeRow(store, key.bucket, day) + ", channel " +
           std::string(ChannelName(key.channel));
  });
}

Status UpsertDimension(Upserts& upserts, const std::string& store, const DimensionKey& key,
                       const Measures& m, bool day) {
  uint64_t mask = NonZeroMask(m);
  StatementUse upsert(upserts.For(&mask));
  upsert->bindNoCopy(1, store);
  upsert->bind(2, static_cast<int>(key.dimension));
  upsert->bind(3, static_cast<int64_t>(key.bucket));  // a bucket or a local day
  upsert->bindNoCopy(4, key.key);
  BindMeasures(*upsert, 5, m, mask);
  return ExecUpsert(*upsert, [&] {
    return DescribeRow(store, key.bucket, day) +
           (key.dimension == Dimension::kSku      ? ", SKU "
            : key.dimension == Dimension::kSource ? ", source "
                                                  : ", employee ") +
           QuoteString(key.key);
  });
}

// Adds a bucket's measures into its day's; the error names the day.
Status AddToDay(const std::string& store, int64_t day, const Measures& bucket, Measures* sum) {
  Status added = sum->Add(bucket);
  if (added.ok()) return added;
  return OutOfRange(DescribeRow(store, day, true) + " (the batch's own sum): " + added.message());
}

// The day rows of 15-minute rows: a day holds the buckets that start in it.
StatusOr<MeasureDeltas> ToDays(const std::string& store, const TimeZone& zone,
                               const MeasureDeltas& buckets) {
  MeasureDeltas days;
  for (const auto& [key, m] : buckets) {
    const int64_t day = zone.LocalDayOf(key.bucket * kBucketMs);
    RETURN_IF_ERROR(AddToDay(store, day, m, &days[BucketKey{day, key.channel}]));
  }
  return days;
}

StatusOr<DimensionDeltas> ToDays(const std::string& store, const TimeZone& zone,
                                 const DimensionDeltas& buckets) {
  DimensionDeltas days;
  for (const auto& [key, m] : buckets) {
    const int64_t day = zone.LocalDayOf(key.bucket * kBucketMs);
    RETURN_IF_ERROR(AddToDay(store, day, m, &days[DimensionKey{day, key.dimension, key.key}]));
  }
  return days;
}

}  // namespace

struct MeasureWriter::Statements {
  explicit Statements(SQLite::Database& db)
      : channel_15m(db, "measures_15m", "store, bucket, channel", 3),
        channel_day(db, "measures_day", "store, day, channel", 3),
        dims_15m(db, "dims_15m", "store, dim, bucket, key", 4),
        dims_day(db, "dims_day", "store, dim, day, key", 4) {}
  Upserts channel_15m, channel_day, dims_15m, dims_day;
};

Status CreateMeasureTables(SQLite::Database& db) {
  try {
    db.exec(CreateMeasureTableSql(
        "measures_15m", "store TEXT NOT NULL, bucket INTEGER NOT NULL, channel INTEGER NOT NULL",
        "store, bucket, channel", false));
    db.exec(CreateMeasureTableSql(
        "measures_day", "store TEXT NOT NULL, day INTEGER NOT NULL, channel INTEGER NOT NULL",
        "store, day, channel", false));
    db.exec(CreateMeasureTableSql(
        "dims_15m", "store TEXT NOT NULL, dim INTEGER NOT NULL, bucket INTEGER NOT NULL, key TEXT",
        "store, dim, bucket, key", false));
    db.exec(CreateMeasureTableSql(
        "dims_day", "store TEXT NOT NULL, dim INTEGER NOT NULL, day INTEGER NOT NULL, key TEXT",
        "store, dim, day, key", false));
    return OkStatus();
  } catch (const std::exception& e) {
    return SqliteErrorStatus(db, e, "create the measure tables");
  }
}

Status AddMeasureColumns(SQLite::Database& db, std::initializer_list<Measure> measures) {
  try {
    for (const char* table :
         {"measures_15m", "measures_day", "dims_15m", "dims_day", "scope_measures_day"}) {
      std::set<std::string> columns;
      SQLite::Statement info(db, std::string("PRAGMA table_info(") + table + ")");
      while (info.executeStep()) columns.insert(info.getColumn(1).getString());
      if (columns.empty()) continue;  // no such table in this database
      // scope_measures_day's columns are nullable (an overflowing sum is stored as NULL).
      const std::string type = std::string(table) == "scope_measures_day"
                                   ? " INTEGER DEFAULT 0"
                                   : " INTEGER NOT NULL DEFAULT 0";
      for (Measure measure : measures) {
        const std::string name(kMeasureNames[static_cast<size_t>(measure)]);
        if (columns.count(name) == 0) {
          db.exec(std::string("ALTER TABLE ") + table + " ADD COLUMN " + name + type);
        }
      }
    }
    return OkStatus();
  } catch (const std::exception& e) {
    return SqliteErrorStatus(db, e, "add the new measures' columns");
  }
}

MeasureWriter::MeasureWriter(SQLite::Database& db)
    : db_(db), statements_(std::make_unique<Statements>(db)) {}

MeasureWriter::~MeasureWriter() = default;

Status MeasureWriter::Add(const std::string& store, const TimeZone& zone,
                          const MeasureDeltas& deltas) {
  for (const auto& [key, m] : deltas) {
    RETURN_IF_ERROR(UpsertChannel(statements_->channel_15m, store, key, m, false));
  }
  ASSIGN_OR_RETURN(const MeasureDeltas days, ToDays(store, zone, deltas));
  for (const auto& [key, m] : days) {
    RETURN_IF_ERROR(UpsertChannel(statements_->channel_day, store, key, m, true));
  }
  return OkStatus();
}

Status MeasureWriter::Add(const std::string& store, const TimeZone& zone,
                          const DimensionDeltas& deltas) {
  for (const auto& [key, m] : deltas) {
    // SKUs at the day grain only: a row per SKU and 15 minutes was a third of the edge's writes.
    // Sources too: their rows say which days a source reported (common/kpi/dimensions.h).
    if (!KeptPerDayOnly(key.dimension)) {
      RETURN_IF_ERROR(UpsertDimension(statements_->dims_15m, store, key, m, false));
    }
  }
  ASSIGN_OR_RETURN(const DimensionDeltas days, ToDays(store, zone, deltas));
  for (const auto& [key, m] : days) {
    RETURN_IF_ERROR(UpsertDimension(statements_->dims_day, store, key, m, true));
  }
  return OkStatus();
}

Status MeasureWriter::RebuildDays(const std::string& store, const TimeZone& zone) {
  // SKU and source day rows have no 15-minute rows to be rebuilt from: they keep the days they
  // were booked to (docs/KPIS.md, "Employees and SKUs").
  const std::string not_sku = " AND dim = " + std::to_string(static_cast<int>(Dimension::kEmployee));
  for (const std::string& erase_sql : {std::string("DELETE FROM measures_day WHERE store = ?"),
                                       "DELETE FROM dims_day WHERE store = ?" + not_sku}) {
    SQLite::Statement erase(db_, erase_sql);
    erase.bind(1, store);
    erase.exec();
  }
  MeasureDeltas channels;
  SQLite::Statement q(db_, "SELECT bucket, channel" + MeasureColumns() +
                               " FROM measures_15m WHERE store = ?");
  q.bind(1, store);
  while (q.executeStep()) {
    ASSIGN_OR_RETURN(const Measures m, ReadMeasures(q, 2, "measures_15m"));
    // One row per key: nothing to add to yet.
    channels[BucketKey{q.getColumn(0).getInt64(), static_cast<Channel>(q.getColumn(1).getInt())}] =
        m;
  }
  DimensionDeltas dims;
  SQLite::Statement d(db_, "SELECT bucket, dim, key" + MeasureColumns() +
                               " FROM dims_15m WHERE store = ?" + not_sku);
  d.bind(1, store);
  while (d.executeStep()) {
    ASSIGN_OR_RETURN(const Measures m, ReadMeasures(d, 3, "dims_15m"));
    dims[DimensionKey{d.getColumn(0).getInt64(), static_cast<Dimension>(d.getColumn(1).getInt()),
                      d.getColumn(2).getString()}] = m;
  }
  // Only the day rows are written: re-adding the 15-minute rows would double them.
  ASSIGN_OR_RETURN(const MeasureDeltas channel_days, ToDays(store, zone, channels));
  for (const auto& [key, m] : channel_days) {
    RETURN_IF_ERROR(UpsertChannel(statements_->channel_day, store, key, m, true));
  }
  ASSIGN_OR_RETURN(const DimensionDeltas dim_days, ToDays(store, zone, dims));
  for (const auto& [key, m] : dim_days) {
    RETURN_IF_ERROR(UpsertDimension(statements_->dims_day, store, key, m, true));
  }
  return OkStatus();
}

Status SqliteMeasureReader::ReadBuckets(int64_t from_bucket, int64_t to_bucket, const Sink& sink) {
  return Read("measures_15m", "bucket", from_bucket, to_bucket, sink);
}

Status SqliteMeasureReader::ReadDays(int64_t from_day, int64_t to_day, const Sink& sink) {
  return Read("measures_day", "day", from_day, to_day, sink);
}

Status SqliteMeasureReader::Read(const char* table, const char* index_column, int64_t from,
                                 int64_t to, const Sink& sink) {
  try {
    StatementUse query(statements_.Get(
        std::string("SELECT ") + index_column + ", channel" + MeasureColumns() + " FROM " + table +
        " WHERE store = ? AND " + index_column + " >= ? AND " + index_column + " < ?"));
    query->bind(1, store_);
    query->bind(2, static_cast<int64_t>(from));
    query->bind(3, static_cast<int64_t>(to));
    while (query->executeStep()) {
      ASSIGN_OR_RETURN(const Measures m, ReadMeasures(*query, 2, table));
      sink(query->getColumn(0).getInt64(), static_cast<Channel>(query->getColumn(1).getInt()), m);
    }
    return OkStatus();
  } catch (const std::exception& e) {
    return SqliteErrorStatus(statements_.db(), e, std::string("read ") + table);
  }
}

Status SqliteMeasureReader::ReadDimension(Dimension dimension, Grain grain, int64_t from,
                                          int64_t to, const KeyedSink& sink) {
  const bool days = grain == Grain::kDay;
  std::string table = days ? "dims_day" : "dims_15m";
  std::string index = days ? "day" : "bucket";
  try {
    StatementUse query(statements_.Get("SELECT " + index + ", key" + MeasureColumns() + " FROM " +
                                       table + " WHERE store = ? AND dim = ? AND " + index +
                                       " >= ? AND " + index + " < ?"));
    query->bind(1, store_);
    query->bind(2, static_cast<int>(dimension));
    query->bind(3, static_cast<int64_t>(from));
    query->bind(4, static_cast<int64_t>(to));
    while (query->executeStep()) {
      ASSIGN_OR_RETURN(const Measures m, ReadMeasures(*query, 2, table.c_str()));
      sink(query->getColumn(0).getInt64(), query->getColumn(1).getString(), m);
    }
    return OkStatus();
  } catch (const std::exception& e) {
    return SqliteErrorStatus(statements_.db(), e, "read " + table);
  }
}

}  // namespace storepulse::common
