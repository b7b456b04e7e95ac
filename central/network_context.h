// The network's context of every store (common/reference/network_context.h): for each store of the
// stores file, its own figures, its region's and the network's for its local today (so far) and
// yesterday, and its rank in its region on each figure. "Today" is each store's own local date, so
// a region or network spanning time zones adds up each store's own today (the KPI engine's rule
// for a network day, docs/KPIS.md); "today so far" runs to the end of the current 15-minute bucket
// and compares with the same weekday a week earlier up to the same instant, yesterday with the
// whole same weekday a week earlier.
//
// Six KPI queries make every store's context whatever the number of stores — by=store, by=region
// and the network total, for each of the two days, each with compare=previous_week — over
// central's own KPI engine (central/central_kpis.h), so the figures are those of GET /api/v1/kpi.
//
// Ranking (1 = best: the highest, or the lowest for a KPI the catalogue says is better lower —
// none of the context's figures today): equal figures share a rank
// and the next one skips (1, 2, 2, 4); a store without the figure (null) or without data that day
// (no sale, no return and no visitor) takes no rank and is not counted in `of`.
// Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "central/stores_file.h"
#include "common/kpi/kpi_answer.h"
#include "common/reference/network_context.h"
#include "common/status.h"

namespace SQLite {
class Database;
}

namespace storepulse::central {

// The answers one day's contexts are made from, each with compare=previous_week.
struct ContextAnswers {
  common::KpiAnswer by_store;   // by=store over every store of the directory
  common::KpiAnswer by_region;  // by=region
  common::KpiAnswer network;    // by=total
};

// One context per store of `directory`, in its order; `now_ms` gives each store's local dates and
// the contexts' as_of.
std::vector<common::NetworkContext> BuildNetworkContexts(const StoreDirectory& directory,
                                                         const ContextAnswers& today,
                                                         const ContextAnswers& yesterday,
                                                         int64_t now_ms);

// Runs the six queries over central.db (`db`, a read connection) and builds the contexts. None
// when the directory has no store.
common::StatusOr<std::vector<common::NetworkContext>> ReadNetworkContexts(
    SQLite::Database& db, const StoreDirectory& directory, int64_t now_ms);

}  // namespace storepulse::central
