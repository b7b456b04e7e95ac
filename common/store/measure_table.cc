#include "common/store/measure_table.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "common/store/statement_use.h"

namespace storepulse::common {

namespace {

std::string MeasureColumns() {
  std::string out;
  for (auto name : kMeasureNames) out += ", " + std::string(name);
  return out;
}

// `keys`: the key columns, e.g. "store TEXT NOT NULL, bucket INTEGER NOT NULL, …".
std::string CreateTableSql(const std::string& table, const std::string& keys,
                           const std::string& primary_key) {
  std::string sql = "CREATE TABLE IF NOT EXISTS " + table + "(" + keys;
  for (auto name : kMeasureNames) sql += ", " + std::string(name) + " INTEGER NOT NULL DEFAULT 0";
  return sql + ", PRIMARY KEY(" + primary_key + ")) WITHOUT ROWID";
}

// An upsert adding the measures to the row of the key columns `keys` ("store, bucket, channel").
std::string UpsertSql(const std::string& table, const std::string& keys, int key_count) {
  std::string sql = "INSERT INTO " + table + "(" + keys + MeasureColumns() + ") VALUES(?";
  for (size_t i = 1; i < kMeasureCount + key_count; ++i) sql += ", ?";
  sql += ") ON CONFLICT DO UPDATE SET ";
  for (size_t i = 0; i < kMeasureCount; ++i) {
    std::string name(kMeasureNames[i]);
    sql += (i ? ", " : "") + name + " = " + name + " + excluded." + name;
  }
  return sql;
}

void BindMeasures(SQLite::Statement& statement, int first, const Measures& m) {
  for (size_t i = 0; i < kMeasureCount; ++i) statement.bind(first + static_cast<int>(i), m.v[i]);
}

Measures ReadMeasures(SQLite::Statement& query, int first) {
  Measures m;
  for (size_t i = 0; i < kMeasureCount; ++i) {
    m.v[i] = query.getColumn(first + static_cast<int>(i)).getInt64();
  }
  return m;
}

void UpsertChannel(SQLite::Statement& statement, const std::string& store, const BucketKey& key,
                   const Measures& m) {
  StatementUse upsert(statement);
  upsert->bindNoCopy(1, store);
  upsert->bind(2, static_cast<int64_t>(key.bucket));  // a bucket or a local day
  upsert->bind(3, static_cast<int>(key.channel));
  BindMeasures(*upsert, 4, m);
  upsert->exec();
}

void UpsertDimension(SQLite::Statement& statement, const std::string& store,
                     const DimensionKey& key, const Measures& m) {
  StatementUse upsert(statement);
  upsert->bindNoCopy(1, store);
  upsert->bind(2, static_cast<int>(key.dimension));
  upsert->bind(3, static_cast<int64_t>(key.bucket));  // a bucket or a local day
  upsert->bindNoCopy(4, key.key);
  BindMeasures(*upsert, 5, m);
  upsert->exec();
}

// The day rows of 15-minute rows: a day holds the buckets that start in it.
MeasureDeltas ToDays(const TimeZone& zone, const MeasureDeltas& buckets) {
  MeasureDeltas days;
  for (const auto& [key, m] : buckets) {
    days[BucketKey{zone.LocalDayOf(key.bucket * kBucketMs), key.channel}] += m;
  }
  return days;
}

DimensionDeltas ToDays(const TimeZone& zone, const DimensionDeltas& buckets) {
  DimensionDeltas days;
  for (const auto& [key, m] : buckets) {
    days[DimensionKey{zone.LocalDayOf(key.bucket * kBucketMs), key.dimension, key.key}] += m;
  }
  return days;
}

}  // namespace

struct MeasureWriter::Statements {
  explicit Statements(SQLite::Database& db)
      : channel_15m(db, UpsertSql("measures_15m", "store, bucket, channel", 3)),
        channel_day(db, UpsertSql("measures_day", "store, day, channel", 3)),
        dims_15m(db, UpsertSql("dims_15m", "store, dim, bucket, key", 4)),
        dims_day(db, UpsertSql("dims_day", "store, dim, day, key", 4)) {}
  SQLite::Statement channel_15m, channel_day, dims_15m, dims_day;
};

Status CreateMeasureTables(SQLite::Database& db) {
  try {
    db.exec(CreateTableSql("measures_15m",
                           "store TEXT NOT NULL, bucket INTEGER NOT NULL, channel INTEGER NOT NULL",
                           "store, bucket, channel"));
    db.exec(CreateTableSql("measures_day",
                           "store TEXT NOT NULL, day INTEGER NOT NULL, channel INTEGER NOT NULL",
                           "store, day, channel"));
    db.exec(CreateTableSql(
        "dims_15m", "store TEXT NOT NULL, dim INTEGER NOT NULL, bucket INTEGER NOT NULL, key TEXT",
        "store, dim, bucket, key"));
    db.exec(CreateTableSql(
        "dims_day", "store TEXT NOT NULL, dim INTEGER NOT NULL, day INTEGER NOT NULL, key TEXT",
        "store, dim, day, key"));
    return OkStatus();
  } catch (const std::exception& e) {
    return Internal(std::string("cannot create the measure tables: ") + e.what());
  }
}

MeasureWriter::MeasureWriter(SQLite::Database& db)
    : db_(db), statements_(std::make_unique<Statements>(db)) {}

MeasureWriter::~MeasureWriter() = default;

void MeasureWriter::Add(const std::string& store, const TimeZone& zone,
                        const MeasureDeltas& deltas) {
  for (const auto& [key, m] : deltas) UpsertChannel(statements_->channel_15m, store, key, m);
  for (const auto& [key, m] : ToDays(zone, deltas)) {
    UpsertChannel(statements_->channel_day, store, key, m);
  }
}

void MeasureWriter::Add(const std::string& store, const TimeZone& zone,
                        const DimensionDeltas& deltas) {
  for (const auto& [key, m] : deltas) {
    // SKUs at the day grain only: a row per SKU and 15 minutes was a third of the edge's writes.
    if (key.dimension != Dimension::kSku) UpsertDimension(statements_->dims_15m, store, key, m);
  }
  for (const auto& [key, m] : ToDays(zone, deltas)) {
    UpsertDimension(statements_->dims_day, store, key, m);
  }
}

void MeasureWriter::RebuildDays(const std::string& store, const TimeZone& zone) {
  // SKU day rows have no 15-minute rows to be rebuilt from: they keep the days they were booked
  // to (docs/KPIS.md, "Employees and SKUs").
  const std::string not_sku = " AND dim != " + std::to_string(static_cast<int>(Dimension::kSku));
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
    channels[BucketKey{q.getColumn(0).getInt64(), static_cast<Channel>(q.getColumn(1).getInt())}] +=
        ReadMeasures(q, 2);
  }
  DimensionDeltas dims;
  SQLite::Statement d(db_, "SELECT bucket, dim, key" + MeasureColumns() +
                               " FROM dims_15m WHERE store = ?" + not_sku);
  d.bind(1, store);
  while (d.executeStep()) {
    dims[DimensionKey{d.getColumn(0).getInt64(), static_cast<Dimension>(d.getColumn(1).getInt()),
                      d.getColumn(2).getString()}] += ReadMeasures(d, 3);
  }
  // Only the day rows are written: re-adding the 15-minute rows would double them.
  for (const auto& [key, m] : ToDays(zone, channels)) {
    UpsertChannel(statements_->channel_day, store, key, m);
  }
  for (const auto& [key, m] : ToDays(zone, dims)) {
    UpsertDimension(statements_->dims_day, store, key, m);
  }
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
    SQLite::Statement query(db_, std::string("SELECT ") + index_column + ", channel" +
                                     MeasureColumns() + " FROM " + table + " WHERE store = ? AND " +
                                     index_column + " >= ? AND " + index_column + " < ?");
    query.bind(1, store_);
    query.bind(2, static_cast<int64_t>(from));
    query.bind(3, static_cast<int64_t>(to));
    while (query.executeStep()) {
      sink(query.getColumn(0).getInt64(), static_cast<Channel>(query.getColumn(1).getInt()),
           ReadMeasures(query, 2));
    }
    return OkStatus();
  } catch (const std::exception& e) {
    return Internal(std::string("cannot read ") + table + ": " + e.what());
  }
}

Status SqliteMeasureReader::ReadDimension(Dimension dimension, Grain grain, int64_t from,
                                          int64_t to, const KeyedSink& sink) {
  const bool days = grain == Grain::kDay;
  std::string table = days ? "dims_day" : "dims_15m";
  std::string index = days ? "day" : "bucket";
  try {
    SQLite::Statement query(db_, "SELECT " + index + ", key" + MeasureColumns() + " FROM " +
                                     table + " WHERE store = ? AND dim = ? AND " + index +
                                     " >= ? AND " + index + " < ?");
    query.bind(1, store_);
    query.bind(2, static_cast<int>(dimension));
    query.bind(3, static_cast<int64_t>(from));
    query.bind(4, static_cast<int64_t>(to));
    while (query.executeStep()) {
      sink(query.getColumn(0).getInt64(), query.getColumn(1).getString(), ReadMeasures(query, 2));
    }
    return OkStatus();
  } catch (const std::exception& e) {
    return Internal("cannot read " + table + ": " + e.what());
  }
}

}  // namespace storepulse::common
