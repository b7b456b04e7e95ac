// SQL for head office: the day tables central folds in PostgreSQL (central/pg_reporting.h), the
// stores table (central/pg_stores.h) and the documented read-only views over them, with the role
// that may read the views. What a user sees is documented in docs/SQL.md; this is where it is
// defined. Added by PostgreSQL schema version 3 (central/pg_schema.h).
//
// Schema `storepulse` (internal, may change between versions):
//   store_day(store, day date, channel text, <the 29 base measures, bigint; defective_units
//             added by schema version 5, labour_staff_s by 6>,
//             PRIMARY KEY(store, day, channel))   -- per store × local day × channel
//   store_sku_day(store, day date, sku, gross_sales, transactions, units_sold, returns_value,
//                 returns, units_returned, defective_units (step 5), PRIMARY KEY(store, day, sku))
//   stores(store PRIMARY KEY, name, region, timezone, area_m2 (NULL: unknown), listed boolean)
// `day` is the store's local date in its zone when the event was applied; a channel by its name.
//
// Schema `reporting` (the interface: columns are only ever added, at the end; docs/SQL.md):
//   stores, store_day, store_sku_day, fleet.
// Role `storepulse_reader` (NOLOGIN): USAGE on `reporting` and SELECT on its views, nothing on
// `storepulse`; operators grant it to their login roles.
#pragma once

#include "central/pg_connection.h"
#include "common/status.h"

namespace storepulse::central {

// The SQL of schema step 2: the tables, their indexes, the views. Runs inside the migration's
// transaction.
const char* ReportingSchemaSql();
// The SQL of schema step 6 (issue 15): store_day's labour column.
const char* AddLabourMeasuresSql();

// The SQL of schema step 5 (issue 15): `defective_units` in store_day and store_sku_day (0 for the
// days folded before), `defective_units` and `defect_return_rate` at the end of both views.
const char* DefectReturnsReportingSql();
// Schema 7: the order lifecycle's measures in store_day and their KPIs in reporting.store_day,
// after the staffing KPIs.
const char* ReportingOrdersSql();

// After the upgrade of a version-1 database: logs how many events it held, which the day tables
// do not count (they are folded as events are applied, and a stored body cannot be decoded in SQL).
common::Status WarnEventsBeforeReporting(PgConnection& db);

// Creates the role storepulse_reader if it is missing and grants it what the views need; run at
// every start after the migration (idempotent), so that a role a DBA created later gets its grants
// at the next start. A central whose role may not create roles logs a warning and goes on: the
// figures are kept whoever reads them. REQUIRES: under the migration's advisory lock.
common::Status GrantReporting(PgConnection& db);

}  // namespace storepulse::central
