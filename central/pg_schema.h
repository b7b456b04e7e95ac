// Central's PostgreSQL schema, owned here: its version and the steps that bring an older
// database up to it, run when a central connects. Several centrals may start at once: each runs
// the steps under one advisory lock, so a step runs once. A database of a newer version is
// refused, as for central.db (common/store/schema_version.h).
//
// Schema `storepulse` (version 5):
//   meta(key text PRIMARY KEY, value text)     -- schema_version; database_id, a UUID made with
//                                                 the schema: a recreated database has another
//   streams(store, incarnation, acked_seq, first_seen, last_applied, PRIMARY KEY(store,
//           incarnation))                      -- each stream's position, as in central.db
//   events(store, incarnation, seq, id, ts, body bytea, PRIMARY KEY(store, incarnation, seq),
//          UNIQUE(store, id))                  -- the log of record: every applied event once
//   fleet(store PRIMARY KEY, seen_ms, written_ms, central, record jsonb)
//                                              -- each store's latest fleet record, whichever
//                                                 central heard it (central/pg_fleet_sync.h)
//   shared_state(name PRIMARY KEY, value jsonb, written_ms, central)
//                                              -- `alerts`: the leader's evaluation
//                                                 (central/pg_alert_leadership.h)
// A stream's events and its position move in one transaction, under the store's advisory lock
// (central/pg_log.h). The KPI views are kept by each central from this log (central/
// log_follower.h).
//
// Version 3 adds the day tables folded with the events (store_day, store_sku_day), the stores
// table, schema `reporting` (the views head office queries) and the role storepulse_reader:
// central/pg_reporting_schema.h, docs/SQL.md.
//
// Version 4 adds days(store, day, status, …, PRIMARY KEY(store, day)): the day sign-off's records,
// shared by the centrals (central/pg_day_store.h, central/day_store.h).
//
// Version 5 (issue 15) adds `defective_units` to store_day and store_sku_day and
// `defective_units`, `defect_return_rate` at the end of their reporting views.
// Version 6 adds store_day's `labour_staff_s` (issue 15, staffing; no labour event existed before).
// Version 7 (issue 15) adds orders(store, order_id, …, PRIMARY KEY(store, order_id)), each
// order's state for the day tables (central/pg_orders.h), and the order measures' columns of
// store_day with their KPIs (and the staffing KPIs) at the end of reporting.store_day.
#pragma once

#include <string>

#include "central/pg_connection.h"
#include "common/status.h"

namespace storepulse::central {

inline constexpr int kPgSchemaVersion = 7;

// Creates or upgrades the schema; returns the database's id (meta `database_id`).
// FailedPrecondition for a database of a newer version.
common::StatusOr<std::string> MigratePgSchema(PgConnection& db);

}  // namespace storepulse::central
