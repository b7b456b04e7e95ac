#include "bench/sqlite_reference.h"

#include <filesystem>

#include <SQLiteCpp/SQLiteCpp.h>

#include "bench/bench_report.h"

namespace storepulse::bench {

namespace {

// One run: a fresh database, every row once; the elapsed seconds.
double InsertAll(const std::string& path, const StoredRows& rows, const ReferenceOptions& options) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA journal_mode=WAL");
  db.exec(options.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  db.exec(
      "CREATE TABLE events(seq INTEGER PRIMARY KEY, id TEXT NOT NULL, ts INTEGER NOT NULL, "
      "received INTEGER NOT NULL, value INTEGER NOT NULL, body BLOB NOT NULL)");
  SQLite::Statement insert(db,
                           "INSERT INTO events(seq, id, ts, received, value, body) "
                           "VALUES(?, ?, ?, ?, ?, ?)");
  const int64_t received = WallNowMs();
  Stopwatch watch;
  for (size_t first = 0; first < rows.rows.size(); first += options.rows_per_transaction) {
    size_t end = std::min(rows.rows.size(), first + options.rows_per_transaction);
    db.exec("BEGIN IMMEDIATE");
    for (size_t i = first; i < end; ++i) {
      const StoredRows::Row& row = rows.rows[i];
      std::string_view id = rows.Id(row), body = rows.Body(row);
      insert.reset();
      insert.bind(1, static_cast<int64_t>(i + 1));
      insert.bindNoCopy(2, id.data(), static_cast<int>(id.size()));
      insert.bind(3, static_cast<int64_t>(row.ts_ms));
      insert.bind(4, static_cast<int64_t>(received));
      insert.bind(5, static_cast<int64_t>(row.value));
      insert.bindNoCopy(6, body.data(), static_cast<int>(body.size()));
      insert.exec();
    }
    db.exec("COMMIT");
  }
  return watch.Seconds();
}

}  // namespace

common::StatusOr<double> MeasureSqliteInsert(const std::string& dir, const StoredRows& rows,
                                             const ReferenceOptions& options) {
  if (rows.rows.empty()) return common::InvalidArgument("no rows to insert");
  std::string path = dir + "/reference.db";
  double best = 0;
  try {
    for (int run = 0; run < options.runs; ++run) {
      double seconds = InsertAll(path, rows, options);
      best = std::max(best, static_cast<double>(rows.rows.size()) / seconds);
    }
  } catch (const std::exception& e) {
    return common::Unavailable(std::string("reference insert failed: ") + e.what());
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return best;
}

}  // namespace storepulse::bench
