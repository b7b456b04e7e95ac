// GET /api/v1/targets at the edge: the targets central sent this store (the `targets` reference
// document: its own, its region's, the network's; common/targets/targets_document.h), judged as
// central judges them (common/targets/target_entry.h — same entries for the store's own targets),
// from the store's own figures, with central up or down:
//
//   {"store", "evaluated_at", "version", "received_at", "age_s", "targets":[<entry>…]}
//
// `version` is the document's, `received_at`/`age_s` when the edge stored it (all null, and
// `targets` empty, before central ever sent one; `targets` empty and an "error" when the document
// held cannot be read). A region's or the network's target has its target and period but no
// actual here (status "no_data", "error" saying central has it). Each net_sales entry of the
// store's own adds `pace` (common/targets/pace.h):
//   {"basis":"history"|"opening_hours"|"closed", "history_days", "share", "expected_by_now",
//    "projected_close", "on_track"}
// from one by=hour query over the last kPaceWeeks × 7 local days. Stateless.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "common/targets/targets_file.h"
#include "common/time_zone.h"
#include "edge/opening_hours.h"

namespace SQLite {
class Database;
}

namespace storepulse::edge {

// The share of a normal day, week or month of the store's net sales done by now (pace.h), and
// the basis of today's profile.
struct StorePace {
  double share = 0;
  std::string basis;  // "history", "opening_hours", "closed"
  int history_days = 0;
};

// REQUIRES: `db` is an edge database (read-only is enough).
common::StatusOr<StorePace> StorePaceShare(SQLite::Database& db, const OpeningHours& hours,
                                           const common::TimeZone& zone,
                                           common::TargetPeriod period, int64_t now_ms);

// REQUIRES: `db` is an edge database (read-only is enough).
common::StatusOr<nlohmann::json> EvaluateEdgeTargets(SQLite::Database& db,
                                                     const OpeningHours& hours, int64_t now_ms);

}  // namespace storepulse::edge
