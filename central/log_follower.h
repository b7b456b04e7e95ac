// A central's read model of the PostgreSQL log (central/pg_log.h): the follower copies what the
// log of record holds past each stream's position into this central's own central.db, as it is
// there, and reports each commit to the view pass, which folds it into the KPI tables as for a
// SQLite central. So every read — KPIs, stock, customers, targets, alerts — runs on local SQLite,
// and the centrals of a chain answer alike: each holds a copy of the same log, behind it by about
// one notification (each commit to the log notifies `storepulse_log`; the follower also looks
// every second).
//
// The read model is disposable. It records the id of the PostgreSQL database it copies (meta
// `pg_database_id`); when that database is another one (dropped and recreated) or holds less
// than the copy (restored from an older backup), the copy would count events the record lost:
// the follower stops and says so (stale()), and the daemon rebuilds the read model from the
// record (central/central_daemon.cc).
//
// One thread; Start/Stop from one thread, the rest from any.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "central/central_store.h"
#include "central/pg_connection.h"
#include "common/store/view_pass.h"

namespace storepulse::central {

inline constexpr char kMirrorOfKey[] = "pg_database_id";

struct LogFollowerOptions {
  int64_t poll_ms = 1000;          // looks this often even without a notification
  size_t max_group_rows = 50'000;  // events copied in one local transaction, at most
};

class LogFollower {
 public:
  // `on_stale(reason)` is called once, from the follower's thread, when the read model must be
  // rebuilt. `views`: the local view pass, told of each commit.
  LogFollower(std::string conninfo, CentralStore& local, common::ViewPass& views,
              std::function<void(const std::string& reason)> on_stale,
              LogFollowerOptions options = {});
  ~LogFollower();
  LogFollower(const LogFollower&) = delete;
  LogFollower& operator=(const LogFollower&) = delete;

  void Start();
  void Stop();

  // Waits until a round that began after this call has ended — the copy then holds what the
  // record held at the call —, at most `timeout_ms`. False on timeout (PostgreSQL away: the
  // reader answers from the copy as it is). Any thread.
  bool WaitCaughtUp(int64_t timeout_ms);

  bool stale() const { return stale_; }
  // {"connected":…, "copied_events":…, "last_copy_ms":…, "stale":…|null, "last_error":…|null}
  nlohmann::json Status() const;

 private:
  void Run();
  // One round: connects if needed, copies what is new (in local groups). True when it copied
  // anything.
  common::StatusOr<bool> Follow();
  common::Status Connect();
  void SetError(const std::string& error);
  bool TakeWake();  // true when WaitCaughtUp asked for a round

  const std::string conninfo_;
  CentralStore& local_;
  common::ViewPass& views_;
  const std::function<void(const std::string&)> on_stale_;
  const LogFollowerOptions options_;
  std::unique_ptr<PgConnection> db_;  // the follower's thread
  std::atomic<bool> stale_{false};

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable round_done_;
  int wake_fd_ = -1;  // an eventfd: WaitCaughtUp ends the follower's wait for a notification
  int64_t rounds_started_ = 0;
  int64_t rounds_done_ = 0;
  bool stopping_ = false;
  int64_t copied_events_ = 0;
  std::string stale_reason_;
  std::string last_error_;
  std::thread thread_;
};

}  // namespace storepulse::central
