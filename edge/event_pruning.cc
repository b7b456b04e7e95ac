#include "edge/event_pruning.h"

#include <algorithm>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>

#include "common/store/event_log.h"

namespace storepulse::edge {

common::StatusOr<PruneStep> PruneEvents(SQLite::Database& db, int64_t max_seq,
                                        int64_t older_than_ms, size_t max_rows) {
  try {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    PruneStep step;
    SQLite::Statement ends(db, "SELECT MIN(seq), MAX(seq) FROM events");
    ends.executeStep();
    if (ends.getColumn(0).isNull()) return step;  // nothing stored yet
    const int64_t first = ends.getColumn(0).getInt64();
    const int64_t newest = ends.getColumn(1).getInt64();
    const auto rows = static_cast<int64_t>(std::min<size_t>(max_rows, 1'000'000'000));
    // Never past the views' watermark, whatever the caller says: an event not folded yet exists
    // nowhere else at the edge.
    ASSIGN_OR_RETURN(const int64_t folded, common::ReadWatermark(db, common::EventLogKind::kEdge));
    int64_t last = std::min({max_seq, folded, newest - 1, first + rows - 1});
    if (last >= first) {
      // The first event of the range that is still young holds back itself and all after it.
      SQLite::Statement young(db,
                              "SELECT MIN(seq) FROM events WHERE seq BETWEEN ? AND ? "
                              "AND (ts >= ? OR received >= ?)");
      young.bind(1, first);
      young.bind(2, last);
      young.bind(3, older_than_ms);
      young.bind(4, older_than_ms);
      young.executeStep();
      if (!young.getColumn(0).isNull()) last = young.getColumn(0).getInt64() - 1;
    }
    step.pruned_through = first - 1;
    if (last >= first) {
      SQLite::Statement erase(db, "DELETE FROM events WHERE seq <= ?");
      erase.bind(1, last);
      step.pruned = erase.exec();
      step.pruned_through = last;
    }
    SQLite::Statement oldest(db, "SELECT received FROM events ORDER BY seq LIMIT 1");
    if (oldest.executeStep()) step.oldest_kept_received_ms = oldest.getColumn(0).getInt64();
    transaction.commit();
    return step;
  } catch (const std::exception& e) {
    return common::Unavailable(std::string("cannot prune old events: ") + e.what());
  }
}

}  // namespace storepulse::edge
