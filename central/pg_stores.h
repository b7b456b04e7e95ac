// The stores file as PostgreSQL's storepulse.stores, which the reporting views join for each
// store's name, region, zone and area (central/pg_reporting_schema.h, docs/SQL.md). Each central
// writes it when it starts and on SIGHUP: every store of the file upserted with listed = true, a
// store no longer in the file kept (its history stays readable) with listed = false. The
// centrals of a chain share one stores file, so whichever writes last writes the same rows.
#pragma once

#include <string>

#include "central/stores_file.h"
#include "common/status.h"

namespace storepulse::central {

// One transaction on a connection of its own, serialised with other centrals' by an advisory
// lock. REQUIRES: the schema migrated (version 2). Unavailable when PostgreSQL cannot be reached.
// Any thread.
common::Status WritePgStores(const std::string& conninfo, const StoreDirectory& directory);

}  // namespace storepulse::central
