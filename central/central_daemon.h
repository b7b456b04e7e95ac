// storepulse-central assembled: the stores directory, the ZAP handler, the replication ROUTER,
// the batch applier over central.db, the fleet view, the alert monitor and the HTTP API. Start()
// brings everything up or says why not; ReloadStores() re-reads the stores file and the targets
// file (SIGHUP); Stop() answers what was committed and closes the database. Start/Stop/Reload
// from the main thread.
#pragma once

#include <memory>
#include <mutex>
#include <zmq.hpp>

#include "central/alert_delivery.h"
#include "central/alert_monitor.h"
#include "central/alert_store.h"
#include "central/batch_applier.h"
#include "central/central_config.h"
#include "central/central_http_server.h"
#include "central/central_reads.h"
#include "central/central_store.h"
#include "central/context_publisher.h"
#include "central/database_url.h"
#include "central/day_signoff.h"
#include "central/document_board.h"
#include "central/fleet.h"
#include "central/pg_alert_leadership.h"
#include "central/pg_fleet_sync.h"
#include "central/pg_log.h"
#include "central/pg_read_model.h"
#include "central/refusals.h"
#include "central/replication_server.h"
#include "central/reports_file.h"
#include "central/storage_state.h"
#include "central/stores_file.h"
#include "central/zap_authenticator.h"
#include "common/config/daemon_main.h"
#include "common/reference/catalogue.h"
#include "common/status.h"
#include "common/targets/targets_file.h"
#include "common/time_util.h"

namespace storepulse::central {

class CentralDaemon final : public common::Daemon {
 public:
  CentralDaemon(CentralConfig config, const common::Clock& clock);
  ~CentralDaemon() override;

  common::Status Check() const override;  // --check-config: config, key, stores file, data dir
  common::Status Start() override;
  common::Status ReloadStores();
  // What central sends down to its edges: every family that owns a reference document publishes
  // it here (central/document_board.h) — at the start, on SIGHUP, or every few minutes.
  DocumentBoard& documents() { return documents_; }
  void Reload() override { (void)ReloadStores(); }  // SIGHUP
  void Stop() override;
  std::string ReadyStatus() const override { return "replicating"; }

 private:
  std::shared_ptr<const StoreDirectory> Directory() const;
  std::shared_ptr<const common::TargetList> Targets() const;
  // Publish the reports as every store's `reports` document, the targets as one `targets`
  // document per store — only when their file is configured: without one, central sends nothing
  // of that kind and the edges keep what they last received (an empty file clears them).
  void PublishReports(const common::ReportList& reports);
  void PublishStoreTargets(const StoreDirectory& directory, const common::TargetList& targets);
  std::shared_ptr<const common::Catalogue> Catalogue() const;
  // Loads the catalogue file and publishes it to the edges; a bad file keeps what was loaded.
  common::Status ReloadCatalogue();
  std::unique_ptr<AlertMonitor> MakeAlertMonitor();
  // --documents-file onto the board (central/documents_file.h).
  common::Status PublishDocumentsFile();
  common::Status StartAlerts();
  // central.db as the log of record, with its view pass; or PostgreSQL and the read model.
  common::Status OpenSqlite();
  common::Status OpenPostgres();
  std::vector<common::CustomerStore> CustomerStores() const;
  common::StoreResolver Resolver() const;
  common::ViewPassOptions ViewOptions() const;

  CentralConfig config_;
  const common::Clock& clock_;
  mutable std::mutex directory_mu_;
  std::shared_ptr<const StoreDirectory> directory_;  // guarded by directory_mu_
  std::shared_ptr<const common::TargetList> targets_;   // guarded by directory_mu_
  std::shared_ptr<const common::Catalogue> catalogue_;  // guarded by directory_mu_; may be null
  Refusals refusals_;
  StorageState storage_;  // whether central stores what the edges send
  Fleet fleet_;
  DocumentBoard documents_;  // what central sends down to its edges (reference documents)
  zmq::context_t context_{1};
  DatabaseUrl database_;  // where the log of record is; database_.data_dir holds central.db
  std::unique_ptr<CentralStore> store_;      // SQLite: the log of record
  std::unique_ptr<common::ViewPass> views_;  // SQLite: its view pass
  std::unique_ptr<PgLog> pg_log_;            // PostgreSQL: the log of record
  std::unique_ptr<PgReadModel> read_model_;  // PostgreSQL: this central's copy, and its views
  LogStore* log_ = nullptr;                  // store_ or pg_log_
  std::shared_ptr<const CentralReads> reads_;  // every read of the figures, on central.db
  std::unique_ptr<PgFleetSync> fleet_sync_;  // PostgreSQL: the fleet shared with other centrals
  std::unique_ptr<PgAlertLeadership> alert_leadership_;  // PostgreSQL: one central evaluates
  std::unique_ptr<BatchApplier> applier_;
  std::unique_ptr<ZapAuthenticator> zap_;
  std::unique_ptr<ReplicationServer> replication_;
  std::unique_ptr<DaySignoff> day_signoff_;        // days.db: the day sign-off
  std::unique_ptr<AlertStore> alert_store_;        // alerts.db: state and webhook outbox
  std::unique_ptr<AlertDelivery> alert_delivery_;  // with --alert-webhook
  std::unique_ptr<AlertMonitor> alerts_;
  std::unique_ptr<CentralHttpServer> http_;
  std::unique_ptr<ContextPublisher>
      context_publisher_;  // each store's network context, every few minutes
};

}  // namespace storepulse::central
