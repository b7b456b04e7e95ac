#include "common/store/event_log.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "common/store/sqlite_errors.h"

#include "common/event_codec.h"

namespace storepulse::common {

const char* WatermarkKey(EventLogKind kind) {
  return kind == EventLogKind::kEdge ? "views_folded_seq" : "views_folded_rowid";
}

StatusOr<int64_t> ReadWatermark(SQLite::Database& db, EventLogKind kind) {
  try {
    SQLite::Statement q(db, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, WatermarkKey(kind));
    return q.executeStep() ? q.getColumn(0).getInt64() : 0;
  } catch (const std::exception& e) {
    return SqliteErrorStatus(db, e, "read the views' watermark");
  }
}

void WriteWatermark(SQLite::Database& db, EventLogKind kind, int64_t position) {
  SQLite::Statement q(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
  q.bind(1, WatermarkKey(kind));
  q.bind(2, std::to_string(position));
  q.exec();
}

Status ReadLogAfter(SQLite::Database& db, EventLogKind kind, const std::string& edge_store,
                    int64_t after, size_t max_events, std::vector<LogEntry>* out) {
  const bool edge = kind == EventLogKind::kEdge;
  try {
    SQLite::Statement q(db, edge ? "SELECT seq, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?"
                                 : "SELECT rowid, body, store FROM events WHERE rowid > ? "
                                   "ORDER BY rowid LIMIT ?");
    q.bind(1, static_cast<int64_t>(after));
    q.bind(2, static_cast<int64_t>(max_events));
    while (q.executeStep()) {
      const int64_t position = q.getColumn(0).getInt64();
      auto blob = q.getColumn(1);
      auto event = DecodeStored(
          std::string_view(static_cast<const char*>(blob.getBlob()), blob.getBytes()));
      if (!event.ok()) {
        return Internal("the stored event at " + std::string(edge ? "seq " : "row ") +
                        std::to_string(position) +
                        " does not decode (the database file is damaged): " +
                        event.status().message());
      }
      out->push_back(LogEntry{position, edge ? edge_store : q.getColumn(2).getString(),
                              std::move(*event)});
    }
    return OkStatus();
  } catch (const std::exception& e) {
    return SqliteErrorStatus(db, e, "read the event log");
  }
}

StatusOr<int64_t> ReadLogEnd(SQLite::Database& db, EventLogKind kind) {
  try {
    return db
        .execAndGet(kind == EventLogKind::kEdge ? "SELECT COALESCE(MAX(seq), 0) FROM events"
                                                : "SELECT COALESCE(MAX(rowid), 0) FROM events")
        .getInt64();
  } catch (const std::exception& e) {
    return SqliteErrorStatus(db, e, "read the end of the event log");
  }
}

}  // namespace storepulse::common
