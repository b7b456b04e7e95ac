// The orders' states in PostgreSQL (storepulse.orders, schema 5), for the day figures of
// head office's SQL (central/pg_reporting.h): the same states and the same fold as the order
// table of central.db and edge.db (common/store/order_table.h, common/kpi/order_fold.h), so that
// reporting.store_day judges each order once, as the API does. Written in the transaction that
// stores the events, under the store's advisory lock (central/pg_log.h). Not thread-safe: the
// applier's thread.
#pragma once

#include <string>
#include <vector>

#include "central/pg_connection.h"
#include "common/event.h"
#include "common/kpi/measures.h"
#include "common/status.h"

namespace storepulse::central {

// The table (schema 5).
const char* PgOrdersSchemaSql();

// Folds the order events among `events` of `store` (FoldOrders: the stored states, one point read
// per order, plus these events) into `deltas` (15-minute buckets) and writes the changed states.
// REQUIRES: inside the group's transaction. Database errors fail the group.
common::Status FoldPgOrders(PgConnection& db, const std::string& store,
                            const std::vector<const common::Event*>& events,
                            common::MeasureDeltas* deltas);

}  // namespace storepulse::central
