#include "central/pg_read_model.h"

#include <filesystem>

#include "common/log.h"

namespace storepulse::central {

namespace {

void DeleteDatabaseFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

}  // namespace

common::StatusOr<std::unique_ptr<PgReadModel>> PgReadModel::Open(PgReadModelOptions options,
                                                                 const common::Clock& clock) {
  std::unique_ptr<PgReadModel> model(new PgReadModel(std::move(options), clock));
  RETURN_IF_ERROR(model->OpenLocal(/*wipe=*/false));
  model->supervisor_ = std::thread([m = model.get()] { m->Supervise(); });
  return model;
}

PgReadModel::PgReadModel(PgReadModelOptions options, const common::Clock& clock)
    : options_(std::move(options)), clock_(clock) {}

PgReadModel::~PgReadModel() { Stop(); }

common::Status PgReadModel::OpenLocal(bool wipe) {
  const std::string path = CentralDatabasePath(options_.data_dir);
  if (wipe) DeleteDatabaseFiles(path);
  ASSIGN_OR_RETURN(auto store, CentralStore::Open(options_.data_dir, options_.durable_full));
  ASSIGN_OR_RETURN(std::string mirror_of, store->ReadMeta(kMirrorOfKey));
  if (mirror_of.empty() && !store->Streams().empty()) {
    return common::FailedPrecondition(
        path + " holds the events of a SQLite central; with --database postgresql://… that "
               "file is only this central's copy of PostgreSQL, rebuilt at will: move it away "
               "(keep it: it is that central's database of record) or choose another "
               "--data-dir");
  }
  if (!mirror_of.empty() && mirror_of != options_.database_id) {
    common::LogWarning(path + " is a copy of another PostgreSQL database (" + mirror_of +
                       ", now " + options_.database_id + "): copying the record again");
    store.reset();
    return OpenLocal(/*wipe=*/true);
  }
  RETURN_IF_ERROR(store->FillViews(options_.stores()));
  ASSIGN_OR_RETURN(auto views, store->OpenViewPass(options_.resolve, clock_, options_.views));
  views->Start();
  auto follower = std::make_shared<LogFollower>(
      options_.conninfo, *store, *views,
      [this](const std::string&) {
        std::lock_guard lock(mu_);
        stale_ = true;
        wake_.notify_all();
      },
      options_.follower);
  follower->Start();
  std::lock_guard lock(mu_);
  store_ = std::move(store);
  views_ = std::move(views);
  follower_ = std::move(follower);
  return common::OkStatus();
}

void PgReadModel::CloseLocal() {
  std::unique_ptr<CentralStore> store;
  std::unique_ptr<common::ViewPass> views;
  std::shared_ptr<LogFollower> follower;
  {
    std::lock_guard lock(mu_);
    store = std::move(store_);
    views = std::move(views_);
    follower = std::move(follower_);
  }
  if (follower) follower->Stop();  // it writes to the store and tells the pass
  if (views) views->Stop();
}

void PgReadModel::Supervise() {
  bool retry = false;  // the last rebuild failed (PostgreSQL away): try again in a while
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (retry) {
        wake_.wait_for(lock, std::chrono::seconds(2), [this] { return stopping_; });
      } else {
        wake_.wait(lock, [this] { return stale_ || stopping_; });
      }
      if (stopping_) return;
      stale_ = false;
    }
    common::LogWarning("rebuilding this central's read model from PostgreSQL");
    CloseLocal();
    common::Status opened = OpenLocal(/*wipe=*/true);
    retry = !opened.ok();
    std::lock_guard lock(mu_);
    ++rebuilds_;
    rebuild_error_ = opened.ok() ? "" : opened.message();
    if (opened.ok()) {
      common::LogInfo("read model rebuilt: copying PostgreSQL's log again");
    } else {
      common::LogError("cannot rebuild the read model: " + opened.message());
    }
  }
}

void PgReadModel::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (supervisor_.joinable()) supervisor_.join();
  CloseLocal();
}

void PgReadModel::WaitCaughtUp(int64_t timeout_ms) const {
  std::shared_ptr<LogFollower> follower;
  {
    std::lock_guard lock(mu_);
    follower = follower_;
  }
  if (follower) follower->WaitCaughtUp(timeout_ms);
}

nlohmann::json PgReadModel::Status() const {
  std::lock_guard lock(mu_);
  nlohmann::json status = follower_ ? follower_->Status() : nlohmann::json::object();
  status["views"] = views_ ? common::ViewPassJson(views_->stats()) : nlohmann::json();
  status["rebuilds"] = rebuilds_;
  if (!rebuild_error_.empty()) status["last_error"] = rebuild_error_;
  return status;
}

}  // namespace storepulse::central
