// KPI queries against an edge database: the store's own zone and measures, through the common
// KPI engine. Used by the HTTP API and by `storepulse kpi --data-dir` on a stopped edge.
#pragma once

#include "common/kpi/kpi_compare.h"
#include "common/kpi/kpi_query.h"
#include "common/status.h"
#include "common/store/pending_tail.h"
#include "common/time_zone.h"

namespace SQLite {
class Database;
}

namespace storepulse::edge {

struct StoreInfo;

// The events of the store not folded into its views yet, folded in memory (pending_tail.h).
// REQUIRES: inside a common::ReadSnapshot of `db`.
common::StatusOr<common::PendingTail> ReadEdgeTail(SQLite::Database& db, const StoreInfo& info,
                                                   const common::TimeZone& zone);

// REQUIRES: `db` is an edge database (read-only is enough). The catalogue is the one the edge
// holds (edge/held_catalogue.h) unless `request` names one. `compare` adds the like-for-like
// comparison of common/kpi/kpi_compare.h. JSON: common/kpi/kpi_json.h.
common::StatusOr<common::KpiAnswer> QueryEdgeKpis(
    SQLite::Database& db, const common::KpiRequest& request, int64_t now_ms,
    common::CompareWith compare = common::CompareWith::kNone);

}  // namespace storepulse::edge
