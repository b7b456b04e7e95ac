#include "central/central_daemon.h"

#include <filesystem>

#include "common/log.h"
#include "common/transport/curve_keys.h"

namespace storepulse::central {

CentralDaemon::CentralDaemon(CentralConfig config, const common::Clock& clock)
    : config_(std::move(config)),
      clock_(clock),
      fleet_(FleetOptions{config_.online_window_s * 1000}) {}

CentralDaemon::~CentralDaemon() { Stop(); }

std::shared_ptr<const StoreDirectory> CentralDaemon::Directory() const {
  std::lock_guard lock(directory_mu_);
  return directory_;
}

common::Status CentralDaemon::Check() const {
  RETURN_IF_ERROR(ValidateCentralConfig(config_));
  ASSIGN_OR_RETURN(auto key, common::LoadCurveSecretKey(config_.secret_key_file));
  (void)key;
  ASSIGN_OR_RETURN(auto directory, StoreDirectory::Load(config_.stores_file));
  (void)directory;
  std::error_code ec;
  std::filesystem::create_directories(config_.data_dir, ec);
  if (ec) {
    return common::Unavailable("cannot create the data directory " + config_.data_dir + ": " +
                               ec.message());
  }
  return common::OkStatus();
}

common::Status CentralDaemon::Start() {
  RETURN_IF_ERROR(Check());
  ASSIGN_OR_RETURN(auto key, common::LoadCurveSecretKey(config_.secret_key_file));
  ASSIGN_OR_RETURN(directory_, StoreDirectory::Load(config_.stores_file));
  ASSIGN_OR_RETURN(store_, CentralStore::Open(config_.data_dir, config_.durability == "full"));
  applier_ = std::make_unique<BatchApplier>(*store_, clock_);
  auto directory = [this] { return Directory(); };
  zap_ = std::make_unique<ZapAuthenticator>(context_, directory, refusals_, clock_);
  RETURN_IF_ERROR(zap_->Start());
  replication_ = std::make_unique<ReplicationServer>(context_, directory, *applier_, *store_,
                                                     fleet_, refusals_, clock_);
  RETURN_IF_ERROR(replication_->Start(config_.listen, key.secret_key));
  CentralHttpContext http{config_.data_dir, directory, &fleet_, &refusals_,
                          [this] {
                            return nlohmann::json{
                                {"storepulse_central_events_applied_total",
                                 applier_->events_applied()},
                                {"storepulse_central_commits_total", applier_->groups_committed()}};
                          },
                          &clock_};
  http_ = std::make_unique<CentralHttpServer>(std::move(http));
  RETURN_IF_ERROR(http_->Start(config_.http_listen, config_.http_threads));
  common::LogInfo("storepulse-central " STOREPULSE_VERSION ": " +
                  std::to_string(directory_->stores().size()) + " stores, replication " +
                  config_.listen + " (public key " + key.public_key + "), http " +
                  config_.http_listen);
  return common::OkStatus();
}

common::Status CentralDaemon::ReloadStores() {
  auto directory = StoreDirectory::Load(config_.stores_file);
  if (!directory.ok()) {
    common::LogError("stores file not reloaded, keeping the previous one: " +
                     directory.status().message());
    return directory.status();
  }
  {
    std::lock_guard lock(directory_mu_);
    directory_ = *directory;
  }
  common::LogInfo("stores file reloaded: " + std::to_string((*directory)->stores().size()) +
                  " stores");
  return common::OkStatus();
}

void CentralDaemon::Stop() {
  // Stop taking work, let the applier finish and the acks go out, then close.
  if (http_) http_->Stop();
  if (replication_) replication_->Stop();
  if (applier_) applier_->Stop();
  if (zap_) zap_->Stop();
  http_.reset();
  replication_.reset();
  applier_.reset();
  zap_.reset();
  store_.reset();
}

}  // namespace storepulse::central
