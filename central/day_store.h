// Where central keeps the day sign-off (central/day_signoff.h) across restarts. With central.db:
// days.db in its data directory, beside alerts.db (central.db's schema is left alone). With
// PostgreSQL: the table storepulse.days (schema step 4, central/pg_schema.cc), which every
// central of the database shares (central/pg_day_store.h). One row per store and local day
// certified or being certified:
//
//   days(store TEXT, day TEXT, status TEXT, resend_requested INTEGER, edge TEXT, central TEXT,
//        detail TEXT, received_ms INTEGER, certified_ms INTEGER, reopened INTEGER,
//        reopened_ms INTEGER, PRIMARY KEY(store, day))
//
// `edge` and `central` are the figures compared last (JSON: events, totals, ids_hash).
// Thread-safe (one connection under a mutex).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/kpi/day_figures.h"
#include "common/status.h"

namespace SQLite {
class Database;
}

namespace storepulse::central {

struct DayRecord {
  std::string store;
  std::string day;     // YYYY-MM-DD, the store's local date
  std::string status;  // "certified", "differs", "pending" (a resend asked), "reopened" (the
                       // same, for a day certified before)
  bool resend_requested = false;  // the next certificate that differs is final: "differs"
  common::DayFigures edge;        // as last compared
  common::DayFigures central;
  std::string detail;        // what differs ("" when certified)
  int64_t received_ms = 0;   // the last certificate
  int64_t certified_ms = 0;  // the last time the figures were equal; 0: never
  int64_t reopened = 0;      // times a late event changed the edge's figures after that
  int64_t reopened_ms = 0;
  bool operator==(const DayRecord&) const = default;
};

class DayStore {
 public:
  virtual ~DayStore() = default;
  virtual common::StatusOr<std::optional<DayRecord>> Get(const std::string& store,
                                                         const std::string& day) = 0;
  virtual common::Status Put(const DayRecord& record) = 0;
  // The rows of `store` ("" for every store) with from ≤ day ≤ to ("" for no bound), by store then
  // day.
  virtual common::StatusOr<std::vector<DayRecord>> List(const std::string& store,
                                                        const std::string& from,
                                                        const std::string& to) = 0;
};

// days.db.
class SqliteDayStore final : public DayStore {
 public:
  static common::StatusOr<std::unique_ptr<DayStore>> Open(const std::string& path);
  ~SqliteDayStore() override;

  common::StatusOr<std::optional<DayRecord>> Get(const std::string& store,
                                                 const std::string& day) override;
  common::Status Put(const DayRecord& record) override;
  common::StatusOr<std::vector<DayRecord>> List(const std::string& store, const std::string& from,
                                                const std::string& to) override;

 private:
  SqliteDayStore(std::unique_ptr<SQLite::Database> db, std::string path);
  std::mutex mu_;
  std::unique_ptr<SQLite::Database> db_;
  std::string path_;
};

std::string DayFiguresToJson(const common::DayFigures& figures);
common::DayFigures DayFiguresFromJson(const std::string& text);

}  // namespace storepulse::central
