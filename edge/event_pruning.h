// Retention of the edge's raw events (SPEC §4): deleting the oldest rows of the events table once
// central holds them and the views have folded them, in short write transactions. The views
// (measures, breakdowns, stock, customers) are never touched, so the KPIs of a pruned period stay.
//
// What may go, and why:
//   - only a prefix of the seqs: events replicate as runs of consecutive seqs, and a hole in the
//     middle would stop every run at it; so the oldest event still too young (or not yet
//     acknowledged) holds back everything after it;
//   - never the newest event: the next seq is MAX(seq) + 1 (EventStore, ReadStoreInfo), so seqs
//     are never given twice, across restarts too; and a new incarnation always has an event to
//     start its stream at;
//   - an event is old when both its time (`ts`) and the time the edge stored it (`received`) are
//     before the cut: a late event (a till offline for weeks, an import of last quarter) keeps its
//     raw record for the whole retention period after it reached the edge.
//
// Deleted rows free pages inside edge.db that new events reuse; the file does not shrink (no
// auto_vacuum; docs/OPERATIONS.md, "Retention").
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/status.h"

namespace SQLite {
class Database;
}

namespace storepulse::edge {

// What one prune step did and what it left.
struct PruneStep {
  int64_t pruned = 0;          // events deleted by this step
  int64_t pruned_through = 0;  // no event at or below this seq is kept any more (0: none pruned)
  int64_t oldest_kept_received_ms = 0;  // when the edge stored the oldest event kept; 0: none
};

// Deletes, in one write transaction, at most `max_rows` of the oldest events with seq ≤ `max_seq`
// whose `ts` and `received` are both before `older_than_ms` — stopping at the first that is not,
// and never the newest event. `max_seq` is the bound the caller knows to be safe: acknowledged
// by central; never past the views' watermark (meta views_folded_seq) either. Also reports what
// is kept when nothing goes.
// REQUIRES: `db` is the edge database's writer connection, outside any transaction.
common::StatusOr<PruneStep> PruneEvents(SQLite::Database& db, int64_t max_seq,
                                        int64_t older_than_ms, size_t max_rows);

}  // namespace storepulse::edge
