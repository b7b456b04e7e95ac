#include "edge/edge_schema.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "common/log.h"
#include "common/store/event_log.h"

namespace storepulse::edge {

namespace {

// 1 → 2. 0.1.0 wrote every event into the derived tables in the event's own transaction: all
// the stored events are folded already, and the view pass starts after the last one.
common::Status StartViewsAfterTheLastEvent(SQLite::Database& db) {
  const int64_t last = db.execAndGet("SELECT COALESCE(MAX(seq), 0) FROM events").getInt64();
  common::WriteWatermark(db, common::EventLogKind::kEdge, last);
  common::LogInfo(std::string(common::WatermarkKey(common::EventLogKind::kEdge)) + " = " + std::to_string(last) +
                  ": the view pass starts after the last stored event");

  // ---- Tables added in v2 that need backfill ----
  // A derived table that schema 2 adds (the customer sketches of issue 9) is empty in a 0.1.0
  // file, and the view pass only folds the events after the watermark just set: create it here
  // and fill it from the stored events (seq <= last), in this transaction, or it misses all of
  // them. The store's zone is meta `timezone`.
  // The daemon is not ready until this returns: systemd gives a start 90 s (TimeoutStartSec), so a
  // long backfill must ask for more (sd_notify EXTEND_TIMEOUT_USEC) or it is killed and retried.
  return common::OkStatus();
}

}  // namespace

const common::Schema& EdgeSchema() {
  static const common::Schema schema{
      "edge",
      kEdgeSchemaVersion,
      {{2, "the derived tables become views of the events, folded after a watermark",
        StartViewsAfterTheLastEvent}}};
  return schema;
}

}  // namespace storepulse::edge
