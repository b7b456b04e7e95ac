// This central's read side when the log of record is PostgreSQL: central.db in --data-dir, its
// view pass, and the follower that copies the record into it (central/log_follower.h). Every
// read of the HTTP API, the alerts and the CLI runs on that central.db, as on a SQLite central.
//
// The read model is disposable: on open, a central.db copied from another PostgreSQL database is
// deleted and copied again; when the follower finds it stale at run time (the record was
// recreated or restored from an older backup), a thread of this class rebuilds it — stops the
// follower and the pass, deletes the file, copies the record again — while the replication
// goes on (it writes to PostgreSQL only). Reads in between see the file being filled.
//
// Thread-safe: Status from any thread; Start/Stop from one.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "central/central_store.h"
#include "central/log_follower.h"
#include "common/store/customer_backfill.h"
#include "common/store/view_pass.h"
#include "common/time_util.h"

namespace storepulse::central {

struct PgReadModelOptions {
  std::string conninfo;
  std::string data_dir;
  std::string database_id;  // the record's (PgLog::database_id)
  bool durable_full = false;
  common::StoreResolver resolve;
  std::function<std::vector<common::CustomerStore>()> stores;  // for FillViews
  common::ViewPassOptions views;
  LogFollowerOptions follower;
};

class PgReadModel {
 public:
  // Opens central.db (deleting a copy of another database), fills its views, copies what the
  // record holds (so that the first answers are complete) and starts the pass and the follower.
  // FailedPrecondition when central.db is a SQLite central's database of record: it is not
  // deleted.
  static common::StatusOr<std::unique_ptr<PgReadModel>> Open(PgReadModelOptions options,
                                                             const common::Clock& clock);
  ~PgReadModel();
  PgReadModel(const PgReadModel&) = delete;
  PgReadModel& operator=(const PgReadModel&) = delete;

  void Stop();
  // Before a read: waits until the copy holds what the record held at the call, at most
  // `timeout_ms` (then the read answers from the copy as it is). Any thread.
  void WaitCaughtUp(int64_t timeout_ms) const;
  // {"views": ViewPassJson, "copied_events":…, "stale":…, "last_error":…, "rebuilds":…}
  nlohmann::json Status() const;

 private:
  PgReadModel(PgReadModelOptions options, const common::Clock& clock);
  // Opens and starts everything; `wipe` deletes the file first.
  common::Status OpenLocal(bool wipe);
  void CloseLocal();
  void Supervise();

  const PgReadModelOptions options_;
  const common::Clock& clock_;
  mutable std::mutex mu_;  // guards the three below while they are replaced
  std::unique_ptr<CentralStore> store_;
  std::unique_ptr<common::ViewPass> views_;
  std::shared_ptr<LogFollower> follower_;  // shared: WaitCaughtUp outlives a rebuild
  std::condition_variable wake_;
  bool stale_ = false;
  bool stopping_ = false;
  int64_t rebuilds_ = 0;
  std::string rebuild_error_;
  std::thread supervisor_;
};

}  // namespace storepulse::central
