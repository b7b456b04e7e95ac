// GET /api/v1/targets: every target of the targets file, for its current period, against the
// actual from central's measures —
//   {"evaluated_at":…, "targets":[{"scope","kpi","period","from","to","elapsed","actual","target",
//     "expected","gap","gap_pct","status"}…]}
// in the file's order. The period is each store's own: for a network or region target, each
// store's local day, ISO week or month, summed (as a network "today" is); `from`/`to` are the local
// dates bounding them (`to` excluded) and `elapsed` the part of the stores' periods gone by.
// A target whose scope has no store, or whose KPI the KPI JSON does not carry, has status
// "no_data" and an "error" saying why. Reads through the caller's connection; stateless.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "central/stores_file.h"
#include "common/targets/targets_file.h"

namespace SQLite {
class Database;
}

namespace storepulse::central {

// REQUIRES: `db` is central's database (read-only is enough).
nlohmann::json EvaluateTargets(SQLite::Database& db, const StoreDirectory& directory,
                               const common::TargetList& targets, int64_t now_ms);

}  // namespace storepulse::central
