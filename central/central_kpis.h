// Network KPIs: the stores of a scope (network, region:R, store:S), each read in its own time zone
// from the central database, merged by the common KPI engine (SPEC §3: ratios from summed
// components; a network day is each store's own local day).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "central/stores_file.h"
#include "common/kpi/kpi_compare.h"
#include "common/kpi/kpi_query.h"
#include "common/status.h"

namespace SQLite {
class Database;
}

namespace storepulse::central {

// The stores of `scope` — "network" (or empty), "region:R", "store:S" — in the directory's
// order. InvalidArgument for another shape; NotFound for a region or store with no store.
common::StatusOr<std::vector<const StoreEntry*>> StoresInScope(const StoreDirectory& directory,
                                                               const std::string& scope);

// `scope` as for StoresInScope; `compare` adds the like-for-like comparison of
// common/kpi/kpi_compare.h.
common::StatusOr<nlohmann::json> QueryCentralKpis(
    SQLite::Database& db, const StoreDirectory& directory, const std::string& scope,
    common::KpiRequest request, int64_t now_ms,
    common::CompareWith compare = common::CompareWith::kNone);

}  // namespace storepulse::central
