// The day sign-off's records in PostgreSQL (central/day_store.h): the table storepulse.days,
// shared by every central of the database, so that whichever central an edge certified a day
// with, all of them show it. Thread-safe (one connection under a mutex, reconnected when broken).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "central/day_store.h"
#include "central/pg_connection.h"

namespace storepulse::central {

class PgDayStore final : public DayStore {
 public:
  // REQUIRES: the schema migrated (central/pg_schema.h, version 4 or later).
  static common::StatusOr<std::unique_ptr<DayStore>> Open(const std::string& conninfo);

  common::StatusOr<std::optional<DayRecord>> Get(const std::string& store,
                                                 const std::string& day) override;
  common::Status Put(const DayRecord& record) override;
  common::StatusOr<std::vector<DayRecord>> List(const std::string& store, const std::string& from,
                                                const std::string& to) override;

 private:
  explicit PgDayStore(std::string conninfo) : conninfo_(std::move(conninfo)) {}
  common::StatusOr<PgConnection*> Connection();  // REQUIRES: mu_ held
  common::StatusOr<std::vector<DayRecord>> Query(const std::string& where, const PgParams& params);

  std::string conninfo_;
  std::mutex mu_;
  std::unique_ptr<PgConnection> db_;  // guarded by mu_
};

}  // namespace storepulse::central
