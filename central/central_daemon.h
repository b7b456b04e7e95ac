// storepulse-central assembled: the stores directory, the ZAP handler, the replication ROUTER,
// the batch applier over central.db, the fleet view, the alert monitor and the HTTP API. Start()
// brings everything up or says why not; ReloadStores() re-reads the stores file and the targets
// file (SIGHUP); Stop() answers what was committed and closes the database. Start/Stop/Reload
// from the main thread.
#pragma once

#include <memory>
#include <mutex>

#include <zmq.hpp>

#include "central/alert_monitor.h"
#include "central/batch_applier.h"
#include "central/central_config.h"
#include "central/central_http_server.h"
#include "central/central_store.h"
#include "central/fleet.h"
#include "central/refusals.h"
#include "central/replication_server.h"
#include "central/stores_file.h"
#include "central/targets_file.h"
#include "central/zap_authenticator.h"
#include "common/config/daemon_main.h"
#include "common/status.h"
#include "common/time_util.h"

namespace storepulse::central {

class CentralDaemon final : public common::Daemon {
 public:
  CentralDaemon(CentralConfig config, const common::Clock& clock);
  ~CentralDaemon() override;

  common::Status Check() const override;  // --check-config: config, key, stores file, data dir
  common::Status Start() override;
  common::Status ReloadStores();
  void Reload() override { (void)ReloadStores(); }  // SIGHUP
  void Stop() override;
  std::string ReadyStatus() const override { return "replicating"; }

 private:
  std::shared_ptr<const StoreDirectory> Directory() const;
  std::shared_ptr<const TargetList> Targets() const;
  std::unique_ptr<AlertMonitor> MakeAlertMonitor();

  CentralConfig config_;
  const common::Clock& clock_;
  mutable std::mutex directory_mu_;
  std::shared_ptr<const StoreDirectory> directory_;  // guarded by directory_mu_
  std::shared_ptr<const TargetList> targets_;        // guarded by directory_mu_
  Refusals refusals_;
  Fleet fleet_;
  zmq::context_t context_{1};
  std::unique_ptr<CentralStore> store_;
  std::unique_ptr<common::ViewPass> views_;
  std::unique_ptr<BatchApplier> applier_;
  std::unique_ptr<ZapAuthenticator> zap_;
  std::unique_ptr<ReplicationServer> replication_;
  std::unique_ptr<AlertMonitor> alerts_;
  std::unique_ptr<CentralHttpServer> http_;
};

}  // namespace storepulse::central
