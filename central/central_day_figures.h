// Central's figures of one local day of a store (common/kpi/day_figures.h), over the events it
// applied: central.db's events table (with PostgreSQL, its mirror there, caught up first), by
// event time in the store's zone — the same day rule as the edge's. Uses the events(store, ts)
// index central.db has for this (central/central_store.cc).
#pragma once

#include <cstdint>
#include <string>

#include "common/kpi/day_figures.h"
#include "common/status.h"
#include "common/time_zone.h"

namespace SQLite {
class Database;
}

namespace storepulse::central {

common::StatusOr<common::DayFigures> ReadCentralDayFigures(SQLite::Database& db,
                                                           const std::string& store,
                                                           const common::TimeZone& zone,
                                                           int64_t local_day);

}  // namespace storepulse::central
