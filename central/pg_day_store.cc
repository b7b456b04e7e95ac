#include "central/pg_day_store.h"

namespace storepulse::central {

namespace {

constexpr const char* kColumns =
    "store, day, status, resend_requested, edge, central, detail, received_ms, certified_ms, "
    "reopened, reopened_ms";

}  // namespace

common::StatusOr<std::unique_ptr<DayStore>> PgDayStore::Open(const std::string& conninfo) {
  std::unique_ptr<PgDayStore> store(new PgDayStore(conninfo));
  {
    std::lock_guard lock(store->mu_);
    RETURN_IF_ERROR(store->Connection().status());
  }
  return std::unique_ptr<DayStore>(std::move(store));
}

common::StatusOr<PgConnection*> PgDayStore::Connection() {
  if (!db_ || !db_->ok()) {
    ASSIGN_OR_RETURN(db_, PgConnection::Connect(conninfo_));
  }
  return db_.get();
}

common::StatusOr<std::vector<DayRecord>> PgDayStore::Query(const std::string& where,
                                                           const PgParams& params) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(PgConnection * db, Connection());
  ASSIGN_OR_RETURN(PgResult rows,
                   db->Exec(std::string("SELECT ") + kColumns + " FROM storepulse.days WHERE " +
                                where + " ORDER BY store, day",
                            params, "read the day sign-off"));
  std::vector<DayRecord> out;
  for (int i = 0; i < rows.rows(); ++i) {
    DayRecord r;
    r.store = std::string(rows.text(i, 0));
    r.day = std::string(rows.text(i, 1));
    r.status = std::string(rows.text(i, 2));
    r.resend_requested = rows.integer(i, 3) != 0;
    r.edge = DayFiguresFromJson(std::string(rows.text(i, 4)));
    r.central = DayFiguresFromJson(std::string(rows.text(i, 5)));
    r.detail = std::string(rows.text(i, 6));
    r.received_ms = rows.integer(i, 7);
    r.certified_ms = rows.integer(i, 8);
    r.reopened = rows.integer(i, 9);
    r.reopened_ms = rows.integer(i, 10);
    out.push_back(std::move(r));
  }
  return out;
}

common::StatusOr<std::optional<DayRecord>> PgDayStore::Get(const std::string& store,
                                                           const std::string& day) {
  ASSIGN_OR_RETURN(std::vector<DayRecord> rows,
                   Query("store = $1 AND day = $2", PgParams().text(store).text(day)));
  if (rows.empty()) return std::optional<DayRecord>();
  return std::optional<DayRecord>(std::move(rows.front()));
}

common::Status PgDayStore::Put(const DayRecord& r) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(PgConnection * db, Connection());
  return db
      ->Exec(std::string("INSERT INTO storepulse.days(") + kColumns +
                 ") VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT(store, day) "
                 "DO UPDATE SET status = excluded.status, resend_requested = "
                 "excluded.resend_requested, edge = excluded.edge, central = excluded.central, "
                 "detail = excluded.detail, received_ms = excluded.received_ms, certified_ms = "
                 "excluded.certified_ms, reopened = excluded.reopened, reopened_ms = "
                 "excluded.reopened_ms",
             PgParams()
                 .text(r.store)
                 .text(r.day)
                 .text(r.status)
                 .integer(r.resend_requested ? 1 : 0)
                 .text(DayFiguresToJson(r.edge))
                 .text(DayFiguresToJson(r.central))
                 .text(r.detail)
                 .integer(r.received_ms)
                 .integer(r.certified_ms)
                 .integer(r.reopened)
                 .integer(r.reopened_ms),
             "write the day sign-off")
      .status();
}

common::StatusOr<std::vector<DayRecord>> PgDayStore::List(const std::string& store,
                                                          const std::string& from,
                                                          const std::string& to) {
  return Query("($1 = '' OR store = $1) AND ($2 = '' OR day >= $2) AND ($3 = '' OR day <= $3)",
               PgParams().text(store).text(from).text(to));
}

}  // namespace storepulse::central
