// The event log as the views read it: the events table of edge.db (ordered by seq, one store) or
// of central.db (ordered by rowid, append order, every store), and the watermark up to which the
// view pass has folded it into the derived tables. The watermark lives in meta, written in the
// same transaction as the views it describes, so views and watermark never disagree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/event.h"
#include "common/status.h"

namespace SQLite {
class Database;
}

namespace storepulse::common {

enum class EventLogKind { kEdge, kCentral };

struct LogEntry {
  int64_t position = 0;  // edge: seq; central: the events row's rowid
  std::string store;
  Event event;
};

// The meta key of the watermark: "views_folded_seq" (edge) or "views_folded_rowid" (central).
const char* WatermarkKey(EventLogKind kind);

// The watermark (0 when none is stored). Any connection; inside a read transaction to pair it
// with the views.
StatusOr<int64_t> ReadWatermark(SQLite::Database& db, EventLogKind kind);
// REQUIRES: inside the write transaction that writes the views folded up to `position`.
void WriteWatermark(SQLite::Database& db, EventLogKind kind, int64_t position);

// Up to `max_events` entries after `after`, in log order, appended to `out`. `edge_store` names
// the store of an edge log (central's rows carry theirs). A body that does not decode is an
// Internal error naming its position (the file is damaged).
Status ReadLogAfter(SQLite::Database& db, EventLogKind kind, const std::string& edge_store,
                    int64_t after, size_t max_events, std::vector<LogEntry>* out);

// The last position of the log (0 when empty).
StatusOr<int64_t> ReadLogEnd(SQLite::Database& db, EventLogKind kind);

}  // namespace storepulse::common
