// GET /api/v1/drivers at the edge: the drivers of the store's net-sales gap over the current local
// day, week or month so far (common/targets/drivers_json.h — the same answer as central's for the
// store), against the same span last week or last year, or against the store's net_sales target
// as central last sent it (the held `targets` document; "no_data" without one), expected by now
// by the store's pace (edge/edge_targets.h). Stateless.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "common/status.h"
#include "common/targets/drivers_json.h"
#include "edge/opening_hours.h"

namespace SQLite {
class Database;
}

namespace storepulse::edge {

// REQUIRES: `db` is an edge database (read-only is enough).
common::StatusOr<nlohmann::json> EdgeDrivers(SQLite::Database& db, const OpeningHours& hours,
                                             common::TargetPeriod period,
                                             common::DriversAgainst against, int64_t now_ms);

}  // namespace storepulse::edge
