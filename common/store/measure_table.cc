#include "common/store/measure_table.h"

#include <SQLiteCpp/SQLiteCpp.h>

namespace storepulse::common {

namespace {

std::string MeasureColumns(const std::string& prefix) {
  std::string out;
  for (auto name : kMeasureNames) {
    out += ", " + prefix + std::string(name);
  }
  return out;
}

std::string CreateTableSql(const char* table, const char* index_column) {
  std::string sql = std::string("CREATE TABLE IF NOT EXISTS ") + table +
                    "(store TEXT NOT NULL, " + index_column + " INTEGER NOT NULL, channel INTEGER NOT NULL";
  for (auto name : kMeasureNames) sql += ", " + std::string(name) + " INTEGER NOT NULL DEFAULT 0";
  sql += std::string(", PRIMARY KEY(store, ") + index_column + ", channel)) WITHOUT ROWID";
  return sql;
}

std::string UpsertSql(const char* table, const char* index_column) {
  std::string sql = std::string("INSERT INTO ") + table + "(store, " + index_column + ", channel" +
                    MeasureColumns("") + ") VALUES(?, ?, ?";
  for (size_t i = 0; i < kMeasureCount; ++i) sql += ", ?";
  sql += ") ON CONFLICT DO UPDATE SET ";
  for (size_t i = 0; i < kMeasureCount; ++i) {
    std::string name(kMeasureNames[i]);
    sql += (i ? ", " : "") + name + " = " + name + " + excluded." + name;
  }
  return sql;
}

}  // namespace

Status CreateMeasureTables(SQLite::Database& db) {
  try {
    db.exec(CreateTableSql("measures_15m", "bucket"));
    db.exec(CreateTableSql("measures_day", "day"));
    return OkStatus();
  } catch (const std::exception& e) {
    return Internal(std::string("cannot create the measure tables: ") + e.what());
  }
}

MeasureWriter::MeasureWriter(SQLite::Database& db)
    : db_(db),
      upsert_15m_(std::make_unique<SQLite::Statement>(db, UpsertSql("measures_15m", "bucket"))),
      upsert_day_(std::make_unique<SQLite::Statement>(db, UpsertSql("measures_day", "day"))) {}

MeasureWriter::~MeasureWriter() = default;

void MeasureWriter::Upsert(SQLite::Statement& statement, const std::string& store, int64_t index,
                           Channel channel, const Measures& m) {
  statement.reset();
  statement.bindNoCopy(1, store);
  statement.bind(2, static_cast<int64_t>(index));
  statement.bind(3, static_cast<int>(channel));
  for (size_t i = 0; i < kMeasureCount; ++i) statement.bind(4 + static_cast<int>(i), m.v[i]);
  statement.exec();
}

void MeasureWriter::Add(const std::string& store, const TimeZone& zone,
                        const MeasureDeltas& deltas) {
  // Day rows are folded first so each (day, channel) is written once per batch.
  std::map<BucketKey, Measures> days;
  int64_t cached_bucket = 0, cached_day = 0;
  bool have_cache = false;
  for (const auto& [key, m] : deltas) {
    Upsert(*upsert_15m_, store, key.bucket, key.channel, m);
    if (!have_cache || key.bucket != cached_bucket) {
      cached_bucket = key.bucket;
      cached_day = zone.LocalDayOf(key.bucket * kBucketMs);
      have_cache = true;
    }
    days[BucketKey{cached_day, key.channel}] += m;
  }
  for (const auto& [key, m] : days) Upsert(*upsert_day_, store, key.bucket, key.channel, m);
}

void MeasureWriter::RebuildDays(const std::string& store, const TimeZone& zone) {
  SQLite::Statement erase(db_, "DELETE FROM measures_day WHERE store = ?");
  erase.bind(1, store);
  erase.exec();
  MeasureDeltas all;
  SqliteMeasureReader reader(db_, store);
  Status status = reader.ReadBuckets(INT64_MIN, INT64_MAX, [&](int64_t bucket, Channel c,
                                                               const Measures& m) {
    all[BucketKey{bucket, c}] += m;
  });
  if (!status.ok()) throw SQLite::Exception(status.message());
  std::map<BucketKey, Measures> days;
  for (const auto& [key, m] : all) days[BucketKey{zone.LocalDayOf(key.bucket * kBucketMs), key.channel}] += m;
  for (const auto& [key, m] : days) Upsert(*upsert_day_, store, key.bucket, key.channel, m);
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
    std::string sql = std::string("SELECT ") + index_column + ", channel" + MeasureColumns("") +
                      " FROM " + table + " WHERE store = ? AND " + index_column + " >= ? AND " +
                      index_column + " < ?";
    SQLite::Statement query(db_, sql);
    query.bind(1, store_);
    query.bind(2, static_cast<int64_t>(from));
    query.bind(3, static_cast<int64_t>(to));
    Measures m;
    while (query.executeStep()) {
      for (size_t i = 0; i < kMeasureCount; ++i) {
        m.v[i] = query.getColumn(2 + static_cast<int>(i)).getInt64();
      }
      sink(query.getColumn(0).getInt64(), static_cast<Channel>(query.getColumn(1).getInt()), m);
    }
    return OkStatus();
  } catch (const std::exception& e) {
    return Internal(std::string("cannot read ") + table + ": " + e.what());
  }
}

}  // namespace storepulse::common
