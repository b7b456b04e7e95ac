#include "central/pg_reporting_schema.h"

#include "common/kpi/measures.h"
#include "common/log.h"

namespace storepulse::central {

// The columns below are written out, not generated from kMeasureNames: a schema step is frozen
// once shipped. A new measure needs a new step that adds its column (and the view's).
static_assert(common::kMeasureCount == 33, "a new base measure needs a schema step for its column");

// No labour event could be stored before this step: 0 is every existing row's true value. The
// view keeps its columns (schema 5's defect figures last) and gains the staffing KPIs and their
// measure at its end (docs/SQL.md).
const char* AddLabourMeasuresSql() {
  return R"sql(
ALTER TABLE storepulse.store_day ADD COLUMN labour_staff_s bigint NOT NULL DEFAULT 0;
CREATE OR REPLACE VIEW reporting.store_day AS
SELECT d.store, s.name, s.region, s.listed, d.day, d.channel,
  d.gross_sales, d.returns_value, d.gross_sales - d.returns_value AS net_sales,
  d.transactions, d.units_sold, d.units_returned,
  d.gross_sales::float8 / NULLIF(d.transactions, 0)::float8 AS aov,
  d.units_sold::float8 / NULLIF(d.transactions, 0)::float8 AS upt,
  d.footfall_in AS footfall,
  d.store_transactions::float8 / NULLIF(d.footfall_in, 0)::float8 AS conversion_rate,
  d.returns_value::float8 / NULLIF(d.gross_sales, 0)::float8 AS return_rate,
  d.units_returned::float8 / NULLIF(d.units_sold, 0)::float8 AS return_rate_units,
  d.web_returns AS web_returns_in_store, d.web_returns_value AS web_returns_in_store_value,
  (d.nps_promoters - d.nps_detractors)::float8 * 100 / NULLIF(d.nps_responses, 0)::float8 AS nps,
  d.nps_responses,
  d.csat_satisfied::float8 * 100 / NULLIF(d.csat_responses, 0)::float8 AS csat,
  d.csat_responses, d.shrink_units, d.cc_orders,
  d.cc_from_warehouse::float8 / NULLIF(d.cc_orders, 0)::float8 AS cc_warehouse_share,
  d.sfs_orders,
  d.sfs_stock_cancels::float8 / NULLIF(d.sfs_orders, 0)::float8 AS sfs_stock_cancel_rate,
  d.promises_kept::float8 / NULLIF(d.promises_judged, 0)::float8 AS promise_kept_rate,
  d.late_ms_sum::float8 / (NULLIF(d.promises_judged - d.promises_kept, 0)::float8 * 60000)
    AS avg_late_minutes,
  d.identified_transactions,
  d.identified_sales - d.identified_returns_value AS identified_net_sales,
  d.store_transactions, d.returns, d.web_returns, d.web_returns_value, d.footfall_in,
  d.footfall_out, d.identified_sales, d.identified_returns_value, d.nps_promoters,
  d.nps_detractors, d.csat_satisfied, d.cc_from_warehouse, d.sfs_stock_cancels,
  d.promises_judged, d.promises_kept, d.late_ms_sum,
  d.defective_units,
  d.defective_units::float8 / NULLIF(d.units_sold, 0)::float8 AS defect_return_rate,
  d.labour_staff_s::float8 / 3600 AS labour_hours,
  (d.gross_sales - d.returns_value)::float8 * 3600 / NULLIF(d.labour_staff_s, 0)::float8
    AS sales_per_labour_hour,
  d.footfall_in::float8 * 3600 / NULLIF(d.labour_staff_s, 0)::float8 AS star,
  d.labour_staff_s
FROM storepulse.store_day d LEFT JOIN storepulse.stores s USING (store);
)sql";
}

const char* ReportingSchemaSql() {
  return R"sql(
CREATE TABLE storepulse.store_day(
  store text NOT NULL, day date NOT NULL, channel text NOT NULL,
  gross_sales bigint NOT NULL DEFAULT 0, transactions bigint NOT NULL DEFAULT 0,
  store_transactions bigint NOT NULL DEFAULT 0, units_sold bigint NOT NULL DEFAULT 0,
  returns_value bigint NOT NULL DEFAULT 0, returns bigint NOT NULL DEFAULT 0,
  units_returned bigint NOT NULL DEFAULT 0, web_returns bigint NOT NULL DEFAULT 0,
  web_returns_value bigint NOT NULL DEFAULT 0, footfall_in bigint NOT NULL DEFAULT 0,
  footfall_out bigint NOT NULL DEFAULT 0, identified_transactions bigint NOT NULL DEFAULT 0,
  identified_sales bigint NOT NULL DEFAULT 0, identified_returns_value bigint NOT NULL DEFAULT 0,
  nps_responses bigint NOT NULL DEFAULT 0, nps_promoters bigint NOT NULL DEFAULT 0,
  nps_detractors bigint NOT NULL DEFAULT 0, csat_responses bigint NOT NULL DEFAULT 0,
  csat_satisfied bigint NOT NULL DEFAULT 0, shrink_units bigint NOT NULL DEFAULT 0,
  cc_orders bigint NOT NULL DEFAULT 0, cc_from_warehouse bigint NOT NULL DEFAULT 0,
  sfs_orders bigint NOT NULL DEFAULT 0, sfs_stock_cancels bigint NOT NULL DEFAULT 0,
  promises_judged bigint NOT NULL DEFAULT 0, promises_kept bigint NOT NULL DEFAULT 0,
  late_ms_sum bigint NOT NULL DEFAULT 0,
  PRIMARY KEY(store, day, channel));
CREATE INDEX store_day_by_day ON storepulse.store_day(day);

CREATE TABLE storepulse.store_sku_day(
  store text NOT NULL, day date NOT NULL, sku text NOT NULL,
  gross_sales bigint NOT NULL DEFAULT 0, transactions bigint NOT NULL DEFAULT 0,
  units_sold bigint NOT NULL DEFAULT 0, returns_value bigint NOT NULL DEFAULT 0,
  returns bigint NOT NULL DEFAULT 0, units_returned bigint NOT NULL DEFAULT 0,
  PRIMARY KEY(day, store, sku));

CREATE TABLE storepulse.stores(
  store text PRIMARY KEY, name text NOT NULL, region text NOT NULL, timezone text NOT NULL,
  area_m2 double precision, listed boolean NOT NULL);

CREATE SCHEMA reporting;

CREATE VIEW reporting.stores AS
SELECT store, name, region, timezone, area_m2, listed FROM storepulse.stores;

-- Ratios as common/kpi/kpi_values.cc computes them: (numerator × scale) / (denominator × unit)
-- in double precision, NULL when the denominator is 0; so a row's figures equal the API's to the
-- last bit.
CREATE VIEW reporting.store_day AS
SELECT d.store, s.name, s.region, s.listed, d.day, d.channel,
  d.gross_sales, d.returns_value, d.gross_sales - d.returns_value AS net_sales,
  d.transactions, d.units_sold, d.units_returned,
  d.gross_sales::float8 / NULLIF(d.transactions, 0)::float8 AS aov,
  d.units_sold::float8 / NULLIF(d.transactions, 0)::float8 AS upt,
  d.footfall_in AS footfall,
  d.store_transactions::float8 / NULLIF(d.footfall_in, 0)::float8 AS conversion_rate,
  d.returns_value::float8 / NULLIF(d.gross_sales, 0)::float8 AS return_rate,
  d.units_returned::float8 / NULLIF(d.units_sold, 0)::float8 AS return_rate_units,
  d.web_returns AS web_returns_in_store, d.web_returns_value AS web_returns_in_store_value,
  (d.nps_promoters - d.nps_detractors)::float8 * 100 / NULLIF(d.nps_responses, 0)::float8 AS nps,
  d.nps_responses,
  d.csat_satisfied::float8 * 100 / NULLIF(d.csat_responses, 0)::float8 AS csat,
  d.csat_responses, d.shrink_units, d.cc_orders,
  d.cc_from_warehouse::float8 / NULLIF(d.cc_orders, 0)::float8 AS cc_warehouse_share,
  d.sfs_orders,
  d.sfs_stock_cancels::float8 / NULLIF(d.sfs_orders, 0)::float8 AS sfs_stock_cancel_rate,
  d.promises_kept::float8 / NULLIF(d.promises_judged, 0)::float8 AS promise_kept_rate,
  d.late_ms_sum::float8 / (NULLIF(d.promises_judged - d.promises_kept, 0)::float8 * 60000)
    AS avg_late_minutes,
  d.identified_transactions,
  d.identified_sales - d.identified_returns_value AS identified_net_sales,
  d.store_transactions, d.returns, d.web_returns, d.web_returns_value, d.footfall_in,
  d.footfall_out, d.identified_sales, d.identified_returns_value, d.nps_promoters,
  d.nps_detractors, d.csat_satisfied, d.cc_from_warehouse, d.sfs_stock_cancels,
  d.promises_judged, d.promises_kept, d.late_ms_sum
FROM storepulse.store_day d LEFT JOIN storepulse.stores s USING (store);

CREATE VIEW reporting.store_sku_day AS
SELECT k.store, s.name, s.region, s.listed, k.day, k.sku,
  k.gross_sales, k.returns_value, k.gross_sales - k.returns_value AS net_sales,
  k.transactions, k.units_sold, k.units_returned,
  k.gross_sales::float8 / NULLIF(k.transactions, 0)::float8 AS aov,
  k.units_sold::float8 / NULLIF(k.transactions, 0)::float8 AS upt,
  k.returns_value::float8 / NULLIF(k.gross_sales, 0)::float8 AS return_rate,
  k.units_returned::float8 / NULLIF(k.units_sold, 0)::float8 AS return_rate_units,
  k.returns
FROM storepulse.store_sku_day k LEFT JOIN storepulse.stores s USING (store);

-- Each store's streams: the latest one (by last batch applied) gives incarnation and acked_seq.
CREATE VIEW reporting.fleet AS
SELECT s.store, s.name, s.region, s.timezone, s.listed,
  count(t.incarnation) AS incarnations,
  (array_agg(t.incarnation ORDER BY t.last_applied DESC))[1] AS incarnation,
  (array_agg(t.acked_seq ORDER BY t.last_applied DESC))[1] AS acked_seq,
  to_timestamp(min(t.first_seen) / 1000.0) AS first_seen,
  to_timestamp(max(t.last_applied) / 1000.0) AS last_applied
FROM storepulse.stores s LEFT JOIN storepulse.streams t USING (store)
GROUP BY s.store, s.name, s.region, s.timezone, s.listed;
)sql";
}

// Step 5 (issue 15): defective units, in both day tables, and defect_return_rate in both views,
// appended after their columns (CREATE OR REPLACE VIEW may only add columns at the end).
const char* DefectReturnsReportingSql() {
  return R"sql(
ALTER TABLE storepulse.store_day ADD COLUMN defective_units bigint NOT NULL DEFAULT 0;
ALTER TABLE storepulse.store_sku_day ADD COLUMN defective_units bigint NOT NULL DEFAULT 0;

CREATE OR REPLACE VIEW reporting.store_day AS
SELECT d.store, s.name, s.region, s.listed, d.day, d.channel,
  d.gross_sales, d.returns_value, d.gross_sales - d.returns_value AS net_sales,
  d.transactions, d.units_sold, d.units_returned,
  d.gross_sales::float8 / NULLIF(d.transactions, 0)::float8 AS aov,
  d.units_sold::float8 / NULLIF(d.transactions, 0)::float8 AS upt,
  d.footfall_in AS footfall,
  d.store_transactions::float8 / NULLIF(d.footfall_in, 0)::float8 AS conversion_rate,
  d.returns_value::float8 / NULLIF(d.gross_sales, 0)::float8 AS return_rate,
  d.units_returned::float8 / NULLIF(d.units_sold, 0)::float8 AS return_rate_units,
  d.web_returns AS web_returns_in_store, d.web_returns_value AS web_returns_in_store_value,
  (d.nps_promoters - d.nps_detractors)::float8 * 100 / NULLIF(d.nps_responses, 0)::float8 AS nps,
  d.nps_responses,
  d.csat_satisfied::float8 * 100 / NULLIF(d.csat_responses, 0)::float8 AS csat,
  d.csat_responses, d.shrink_units, d.cc_orders,
  d.cc_from_warehouse::float8 / NULLIF(d.cc_orders, 0)::float8 AS cc_warehouse_share,
  d.sfs_orders,
  d.sfs_stock_cancels::float8 / NULLIF(d.sfs_orders, 0)::float8 AS sfs_stock_cancel_rate,
  d.promises_kept::float8 / NULLIF(d.promises_judged, 0)::float8 AS promise_kept_rate,
  d.late_ms_sum::float8 / (NULLIF(d.promises_judged - d.promises_kept, 0)::float8 * 60000)
    AS avg_late_minutes,
  d.identified_transactions,
  d.identified_sales - d.identified_returns_value AS identified_net_sales,
  d.store_transactions, d.returns, d.web_returns, d.web_returns_value, d.footfall_in,
  d.footfall_out, d.identified_sales, d.identified_returns_value, d.nps_promoters,
  d.nps_detractors, d.csat_satisfied, d.cc_from_warehouse, d.sfs_stock_cancels,
  d.promises_judged, d.promises_kept, d.late_ms_sum,
  d.defective_units,
  d.defective_units::float8 / NULLIF(d.units_sold, 0)::float8 AS defect_return_rate
FROM storepulse.store_day d LEFT JOIN storepulse.stores s USING (store);

CREATE OR REPLACE VIEW reporting.store_sku_day AS
SELECT k.store, s.name, s.region, s.listed, k.day, k.sku,
  k.gross_sales, k.returns_value, k.gross_sales - k.returns_value AS net_sales,
  k.transactions, k.units_sold, k.units_returned,
  k.gross_sales::float8 / NULLIF(k.transactions, 0)::float8 AS aov,
  k.units_sold::float8 / NULLIF(k.transactions, 0)::float8 AS upt,
  k.returns_value::float8 / NULLIF(k.gross_sales, 0)::float8 AS return_rate,
  k.units_returned::float8 / NULLIF(k.units_sold, 0)::float8 AS return_rate_units,
  k.returns,
  k.defective_units,
  k.defective_units::float8 / NULLIF(k.units_sold, 0)::float8 AS defect_return_rate
FROM storepulse.store_sku_day k LEFT JOIN storepulse.stores s USING (store);
)sql";
}

common::Status WarnEventsBeforeReporting(PgConnection& db) {
  ASSIGN_OR_RETURN(PgResult events, db.Exec("SELECT count(*) FROM storepulse.events",
                                            "count the events stored before version 3"));
  if (events.integer(0, 0) > 0) {
    common::LogWarning("PostgreSQL: " + std::string(events.text(0, 0)) +
                       " events were stored before schema version 3; the reporting views "
                       "(docs/SQL.md) count only the events applied from now on. The API's "
                       "figures are not concerned.");
  }
  return common::OkStatus();
}

common::Status GrantReporting(PgConnection& db) {
  // Roles belong to the cluster: a central of another database may create it at the same moment
  // (unique_violation), or have made it already (duplicate_object). A role without CREATEROLE
  // (insufficient_privilege) goes on without it: said below.
  RETURN_IF_ERROR(db.Exec(R"sql(
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'storepulse_reader') THEN
    BEGIN
      CREATE ROLE storepulse_reader NOLOGIN;
    EXCEPTION
      WHEN duplicate_object OR unique_violation THEN NULL;
      WHEN insufficient_privilege THEN NULL;
    END;
  END IF;
END $$)sql",
                          "create the role storepulse_reader")
                      .status());
  ASSIGN_OR_RETURN(PgResult exists,
                   db.Exec("SELECT count(*) FROM pg_roles WHERE rolname = 'storepulse_reader'",
                           "look for the role storepulse_reader"));
  if (exists.integer(0, 0) == 0) {
    common::LogWarning(
        "PostgreSQL: the role storepulse_reader does not exist and this central's role may not "
        "create roles: the reporting views are kept, but nobody may read them until a DBA runs "
        "CREATE ROLE storepulse_reader NOLOGIN (the next start of central grants it; "
        "docs/SQL.md)");
    return common::OkStatus();
  }
  RETURN_IF_ERROR(db.Exec("GRANT USAGE ON SCHEMA reporting TO storepulse_reader;"
                          "GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO storepulse_reader",
                          "grant the reporting views to storepulse_reader")
                      .status());
  return common::OkStatus();
}

// Schema 7 (issue 15): the order lifecycle's measures, and their KPIs at the end of the view,
// after the defect returns' (schema 5) and the staffing KPIs.
const char* ReportingOrdersSql() {
  return R"sql(
ALTER TABLE storepulse.store_day
  ADD COLUMN ready_orders bigint NOT NULL DEFAULT 0,
  ADD COLUMN ready_ms_sum bigint NOT NULL DEFAULT 0,
  ADD COLUMN delivered_orders bigint NOT NULL DEFAULT 0,
  ADD COLUMN delivery_ms_sum bigint NOT NULL DEFAULT 0;

CREATE OR REPLACE VIEW reporting.store_day AS
SELECT d.store, s.name, s.region, s.listed, d.day, d.channel,
  d.gross_sales, d.returns_value, d.gross_sales - d.returns_value AS net_sales,
  d.transactions, d.units_sold, d.units_returned,
  d.gross_sales::float8 / NULLIF(d.transactions, 0)::float8 AS aov,
  d.units_sold::float8 / NULLIF(d.transactions, 0)::float8 AS upt,
  d.footfall_in AS footfall,
  d.store_transactions::float8 / NULLIF(d.footfall_in, 0)::float8 AS conversion_rate,
  d.returns_value::float8 / NULLIF(d.gross_sales, 0)::float8 AS return_rate,
  d.units_returned::float8 / NULLIF(d.units_sold, 0)::float8 AS return_rate_units,
  d.web_returns AS web_returns_in_store, d.web_returns_value AS web_returns_in_store_value,
  (d.nps_promoters - d.nps_detractors)::float8 * 100 / NULLIF(d.nps_responses, 0)::float8 AS nps,
  d.nps_responses,
  d.csat_satisfied::float8 * 100 / NULLIF(d.csat_responses, 0)::float8 AS csat,
  d.csat_responses, d.shrink_units, d.cc_orders,
  d.cc_from_warehouse::float8 / NULLIF(d.cc_orders, 0)::float8 AS cc_warehouse_share,
  d.sfs_orders,
  d.sfs_stock_cancels::float8 / NULLIF(d.sfs_orders, 0)::float8 AS sfs_stock_cancel_rate,
  d.promises_kept::float8 / NULLIF(d.promises_judged, 0)::float8 AS promise_kept_rate,
  d.late_ms_sum::float8 / (NULLIF(d.promises_judged - d.promises_kept, 0)::float8 * 60000)
    AS avg_late_minutes,
  d.identified_transactions,
  d.identified_sales - d.identified_returns_value AS identified_net_sales,
  d.store_transactions, d.returns, d.web_returns, d.web_returns_value, d.footfall_in,
  d.footfall_out, d.identified_sales, d.identified_returns_value, d.nps_promoters,
  d.nps_detractors, d.csat_satisfied, d.cc_from_warehouse, d.sfs_stock_cancels,
  d.promises_judged, d.promises_kept, d.late_ms_sum,
  d.defective_units,
  d.defective_units::float8 / NULLIF(d.units_sold, 0)::float8 AS defect_return_rate,
  d.labour_staff_s::float8 / 3600 AS labour_hours,
  (d.gross_sales - d.returns_value)::float8 * 3600 / NULLIF(d.labour_staff_s, 0)::float8
    AS sales_per_labour_hour,
  d.footfall_in::float8 * 3600 / NULLIF(d.labour_staff_s, 0)::float8 AS star,
  d.labour_staff_s,
  d.ready_ms_sum::float8 / (NULLIF(d.ready_orders, 0)::float8 * 60000) AS avg_ready_minutes,
  d.delivery_ms_sum::float8 / (NULLIF(d.delivered_orders, 0)::float8 * 3600000)
    AS avg_delivery_hours,
  d.ready_orders, d.ready_ms_sum, d.delivered_orders, d.delivery_ms_sum
FROM storepulse.store_day d LEFT JOIN storepulse.stores s USING (store);
)sql";
}

}  // namespace storepulse::central
