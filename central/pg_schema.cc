#include "central/pg_schema.h"

#include <functional>
#include <vector>

#include "central/pg_orders.h"
#include "central/pg_reporting_schema.h"
#include "common/log.h"

namespace storepulse::central {

namespace {

// Any constant of our own: the advisory lock every central takes around its migration.
constexpr int64_t kMigrationLock = 0x73707067;  // "sppg"

struct PgStep {
  int to_version;
  const char* what;
  const char* sql;
};

// Schema 7: the orders' states (central/pg_orders.h) and their measures in the day tables.
const char* PgOrdersStepSql() {
  static const std::string sql = std::string(PgOrdersSchemaSql()) + ReportingOrdersSql();
  return sql.c_str();
}

// Version 1 is the whole schema of a new database; later steps append here.
const std::vector<PgStep>& Steps() {
  static const std::vector<PgStep> steps = {
      {1, "the log, the streams and the meta table",
       "CREATE TABLE storepulse.streams(store text NOT NULL, incarnation text NOT NULL, "
       "acked_seq bigint NOT NULL, first_seen bigint NOT NULL, last_applied bigint NOT NULL, "
       "PRIMARY KEY(store, incarnation));"
       "CREATE TABLE storepulse.events(store text NOT NULL, incarnation text NOT NULL, "
       "seq bigint NOT NULL, id text NOT NULL, ts bigint NOT NULL, body bytea NOT NULL, "
       "PRIMARY KEY(store, incarnation, seq), UNIQUE(store, id));"
       "INSERT INTO storepulse.meta VALUES('database_id', gen_random_uuid()::text);"},
      {2, "what the centrals share besides the log: the fleet and the alerts",
       "CREATE TABLE storepulse.fleet(store text PRIMARY KEY, seen_ms bigint NOT NULL, "
       "written_ms bigint NOT NULL, central text NOT NULL, record jsonb NOT NULL);"
       "CREATE INDEX ON storepulse.fleet(written_ms);"
       "CREATE TABLE storepulse.shared_state(name text PRIMARY KEY, value jsonb NOT NULL, "
       "written_ms bigint NOT NULL, central text NOT NULL);"},
      {3, "the day tables and the reporting views for head office's SQL", ReportingSchemaSql()},
      {4, "the day sign-off: each store's certified days (central/pg_day_store.h)",
       "CREATE TABLE storepulse.days(store text NOT NULL, day text NOT NULL, status text NOT NULL, "
       "resend_requested bigint NOT NULL, edge text NOT NULL, central text NOT NULL, "
       "detail text NOT NULL, received_ms bigint NOT NULL, certified_ms bigint NOT NULL, "
       "reopened bigint NOT NULL, reopened_ms bigint NOT NULL, PRIMARY KEY(store, day));"},
      {5, "shared credit and defect returns: defective units in the day tables and views",
       DefectReturnsReportingSql()},
      {6, "the labour measure (staff-seconds, issue 15) in the day table", AddLabourMeasuresSql()},
      {7, "orders as lifecycles: each order's state, and its figures in the day tables",
       PgOrdersStepSql()},
  };
  return steps;
}

common::StatusOr<int> ReadVersion(PgConnection& db) {
  ASSIGN_OR_RETURN(PgResult row,
                   db.Exec("SELECT value FROM storepulse.meta WHERE key = 'schema_version'",
                           "read the schema version"));
  return row.rows() == 0 ? 0 : static_cast<int>(row.integer(0, 0));
}

}  // namespace

common::StatusOr<std::string> MigratePgSchema(PgConnection& db) {
  RETURN_IF_ERROR(db.Exec("SELECT pg_advisory_lock(" + std::to_string(kMigrationLock) + ")",
                          "wait for another central's schema migration")
                      .status());
  auto migrate = [&]() -> common::StatusOr<std::string> {
    RETURN_IF_ERROR(db.Exec("CREATE SCHEMA IF NOT EXISTS storepulse;"
                            "CREATE TABLE IF NOT EXISTS storepulse.meta(key text PRIMARY KEY, "
                            "value text NOT NULL)",
                            "create the storepulse schema")
                        .status());
    ASSIGN_OR_RETURN(int version, ReadVersion(db));
    if (version > kPgSchemaVersion) {
      return common::FailedPrecondition(
          "the PostgreSQL database is at central schema version " + std::to_string(version) +
          ", newer than this storepulse-central knows (" + std::to_string(kPgSchemaVersion) +
          "): run the newer storepulse-central, or restore a database of this version");
    }
    for (const PgStep& step : Steps()) {
      if (step.to_version <= version) continue;
      common::LogInfo("PostgreSQL schema " + std::to_string(step.to_version - 1) + " -> " +
                      std::to_string(step.to_version) + ": " + step.what);
      std::string sql = std::string("BEGIN;") + step.sql +
                        "INSERT INTO storepulse.meta VALUES('schema_version', '" +
                        std::to_string(step.to_version) +
                        "') ON CONFLICT(key) DO UPDATE SET value = excluded.value; COMMIT";
      if (auto done = db.Exec(sql, "upgrade the PostgreSQL schema"); !done.ok()) {
        (void)db.Exec("ROLLBACK", "roll back the schema upgrade");
        return done.status();
      }
    }
    if (version >= 1 && version < 3) RETURN_IF_ERROR(WarnEventsBeforeReporting(db));
    RETURN_IF_ERROR(GrantReporting(db));
    ASSIGN_OR_RETURN(PgResult id,
                     db.Exec("SELECT value FROM storepulse.meta WHERE key = 'database_id'",
                             "read the database id"));
    if (id.rows() == 0) return common::Internal("the PostgreSQL database has no database_id");
    return std::string(id.text(0, 0));
  };
  auto result = migrate();
  (void)db.Exec("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLock) + ")",
                "end the schema migration");
  return result;
}

}  // namespace storepulse::central
