#include "central/log_follower.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <map>

#include "central/pg_log.h"
#include "common/log.h"

namespace storepulse::central {

LogFollower::LogFollower(std::string conninfo, CentralStore& local, common::ViewPass& views,
                         std::function<void(const std::string&)> on_stale,
                         LogFollowerOptions options)
    : conninfo_(std::move(conninfo)),
      local_(local),
      views_(views),
      on_stale_(std::move(on_stale)),
      options_(options),
      wake_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

LogFollower::~LogFollower() {
  Stop();
  if (wake_fd_ >= 0) close(wake_fd_);
}

bool LogFollower::WaitCaughtUp(int64_t timeout_ms) {
  std::unique_lock lock(mu_);
  const int64_t target = rounds_started_ + 1;
  const uint64_t one = 1;
  if (wake_fd_ >= 0) (void)!write(wake_fd_, &one, sizeof one);
  return round_done_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                              [&] { return rounds_done_ >= target || stopping_; }) &&
         !stopping_;
}

void LogFollower::Start() {
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void LogFollower::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  round_done_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LogFollower::Run() {
  int64_t retry_ms = 200;
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    {
      std::lock_guard lock(mu_);
      ++rounds_started_;
    }
    auto copied = Follow();
    {
      std::lock_guard lock(mu_);
      rounds_done_ = rounds_started_;
    }
    round_done_.notify_all();
    if (stale_) return;
    if (!copied.ok()) {
      SetError(copied.status().message());
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, std::chrono::milliseconds(retry_ms), [this] { return stopping_; });
      retry_ms = std::min<int64_t>(retry_ms * 2, 5000);
      continue;
    }
    retry_ms = 200;
    SetError("");
    if (*copied) continue;  // more may be there already
    // Nothing new: wait for a commit's notification (or poll_ms), in short slices so that Stop
    // is prompt.
    for (int64_t waited = 0; waited < options_.poll_ms; waited += 100) {
      {
        std::lock_guard lock(mu_);
        if (stopping_) return;
      }
      auto notified = db_->AwaitNotification(100, wake_fd_);
      if (!notified.ok() || *notified || TakeWake()) break;
    }
  }
}

common::Status LogFollower::Connect() {
  db_.reset();
  ASSIGN_OR_RETURN(auto db, PgConnection::Connect(conninfo_));
  RETURN_IF_ERROR(db->Exec(std::string("LISTEN ") + kLogChannel, "listen for new events").status());
  db_ = std::move(db);
  return common::OkStatus();
}

common::StatusOr<bool> LogFollower::Follow() {
  if (db_ == nullptr || !db_->ok()) RETURN_IF_ERROR(Connect());
  auto stale = [this](const std::string& reason) -> common::StatusOr<bool> {
    {
      std::lock_guard lock(mu_);
      stale_reason_ = reason;
    }
    stale_ = true;
    common::LogError("the read model of this central must be rebuilt: " + reason);
    if (on_stale_) on_stale_(reason);
    return false;
  };
  ASSIGN_OR_RETURN(PgResult id,
                   db_->Exec("SELECT value FROM storepulse.meta WHERE key = 'database_id'",
                             "read the PostgreSQL database id"));
  if (id.rows() == 0) return common::Unavailable("the PostgreSQL database has no schema yet");
  ASSIGN_OR_RETURN(std::string mirror_of, local_.ReadMeta(kMirrorOfKey));
  if (mirror_of.empty()) {
    RETURN_IF_ERROR(local_.WriteMeta(kMirrorOfKey, std::string(id.text(0, 0))));
  } else if (mirror_of != id.text(0, 0)) {
    return stale("the PostgreSQL database is another one than the one it copied (id " +
                 std::string(id.text(0, 0)) + ", was " + mirror_of +
                 "): it was dropped and created again");
  }
  ASSIGN_OR_RETURN(PgResult streams,
                   db_->Exec("SELECT store, incarnation, acked_seq, first_seen, last_applied "
                             "FROM storepulse.streams ORDER BY store, first_seen, incarnation",
                             "read the streams' positions"));
  std::map<StreamKey, int64_t> copied = local_.Streams();
  std::vector<MirroredStream> behind;
  for (int r = 0; r < streams.rows(); ++r) {
    StreamKey stream{std::string(streams.text(r, 0)), std::string(streams.text(r, 1))};
    const int64_t record = streams.integer(r, 2);
    auto it = copied.find(stream);
    const int64_t mine = it == copied.end() ? 0 : it->second;
    if (it != copied.end()) copied.erase(it);
    if (record < mine) {
      return stale("PostgreSQL holds store " + stream.store + ", incarnation " +
                   stream.incarnation + " up to seq " + std::to_string(record) +
                   " but this central copied it up to " + std::to_string(mine) +
                   ": the database was restored from an older backup");
    }
    if (record > mine) {
      behind.push_back(
          MirroredStream{stream, {}, record, streams.integer(r, 3), streams.integer(r, 4)});
    }
  }
  if (!copied.empty()) {
    return stale("PostgreSQL has no stream " + copied.begin()->first.store + "/" +
                 copied.begin()->first.incarnation +
                 " that this central copied: the database was restored from an older backup");
  }
  if (behind.empty()) return false;
  // Copy in local groups of at most max_group_rows events; a stream larger than that is copied
  // over several rounds (its position moves to the last row copied).
  size_t in_group = 0;
  std::vector<MirroredStream> group;
  auto commit = [&]() -> common::Status {
    if (group.empty()) return common::OkStatus();
    views_.Throttle();
    ASSIGN_OR_RETURN(CentralStore::Group transaction, local_.BeginGroup());
    for (const MirroredStream& stream : group) RETURN_IF_ERROR(transaction.Mirror(stream));
    RETURN_IF_ERROR(transaction.Commit());
    views_.Committed(local_.log_end());
    {
      std::lock_guard lock(mu_);
      copied_events_ += static_cast<int64_t>(in_group);
    }
    group.clear();
    in_group = 0;
    return common::OkStatus();
  };
  for (MirroredStream& stream : behind) {
    const int64_t from = local_.AckedSeq(stream.stream);
    const size_t room = options_.max_group_rows - in_group;
    ASSIGN_OR_RETURN(PgResult rows,
                     db_->Exec("SELECT seq, id, ts, body FROM storepulse.events WHERE store = $1 "
                               "AND incarnation = $2 AND seq > $3 AND seq <= $4 ORDER BY seq "
                               "LIMIT $5",
                               PgParams()
                                   .text(stream.stream.store)
                                   .text(stream.stream.incarnation)
                                   .integer(from)
                                   .integer(stream.acked_seq)
                                   .integer(static_cast<int64_t>(room)),
                               "read new events"));
    for (int r = 0; r < rows.rows(); ++r) {
      stream.rows.push_back(
          LogRow{rows.integer(r, 0), std::string(rows.text(r, 1)), rows.integer(r, 2),
                 rows.bytes(r, 3)});
    }
    if (static_cast<size_t>(rows.rows()) == room) stream.acked_seq = stream.rows.back().seq;
    in_group += stream.rows.size();
    group.push_back(std::move(stream));
    if (in_group >= options_.max_group_rows) RETURN_IF_ERROR(commit());
  }
  RETURN_IF_ERROR(commit());
  return true;
}

bool LogFollower::TakeWake() {
  uint64_t count = 0;
  return wake_fd_ >= 0 && read(wake_fd_, &count, sizeof count) == sizeof count;
}

void LogFollower::SetError(const std::string& error) {
  std::lock_guard lock(mu_);
  if (!error.empty() && error != last_error_) common::LogWarning("read model: " + error);
  last_error_ = error;
}

nlohmann::json LogFollower::Status() const {
  std::lock_guard lock(mu_);
  return {{"copied_events", copied_events_},
          {"stale", stale_reason_.empty() ? nlohmann::json() : nlohmann::json(stale_reason_)},
          {"last_error", last_error_.empty() ? nlohmann::json() : nlohmann::json(last_error_)}};
}

}  // namespace storepulse::central
