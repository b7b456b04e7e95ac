// Network KPIs: the stores of a scope (network, region:R, store:S), each read in its own time zone
// from the central database, merged by the common KPI engine (SPEC §3: ratios from summed
// components; a network day is each store's own local day).
#pragma once

#include <nlohmann/json.hpp>

#include "central/stores_file.h"
#include "common/kpi/kpi_query.h"
#include "common/status.h"

namespace SQLite {
class Database;
}

namespace storepulse::central {

// `scope`: "network" (or empty), "region:R", "store:S"; NotFound for an unknown region or store.
common::StatusOr<nlohmann::json> QueryCentralKpis(SQLite::Database& db,
                                                  const StoreDirectory& directory,
                                                  const std::string& scope,
                                                  common::KpiRequest request, int64_t now_ms);

}  // namespace storepulse::central
