#include "central/central_daemon.h"

#include <unistd.h>

#include <filesystem>

#include "central/central_kpis.h"
#include "central/documents_file.h"
#include "central/pg_stores.h"
#include "central/target_documents.h"
#include "common/log.h"
#include "common/reference/catalogue_file.h"
#include "common/reference/catalogue_rows.h"
#include "common/transport/curve_keys.h"

namespace storepulse::central {

namespace {

// This central among several over one PostgreSQL: its host and process.
std::string CentralName() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

}  // namespace

CentralDaemon::CentralDaemon(CentralConfig config, const common::Clock& clock)
    : config_(std::move(config)),
      clock_(clock),
      fleet_(FleetOptions{config_.online_window_s * 1000}) {}

CentralDaemon::~CentralDaemon() { Stop(); }

std::shared_ptr<const StoreDirectory> CentralDaemon::Directory() const {
  std::lock_guard lock(directory_mu_);
  return directory_;
}

std::shared_ptr<const common::TargetList> CentralDaemon::Targets() const {
  std::lock_guard lock(directory_mu_);
  return targets_;
}

std::shared_ptr<const common::Catalogue> CentralDaemon::Catalogue() const {
  std::lock_guard lock(directory_mu_);
  return catalogue_;
}

common::Status CentralDaemon::ReloadCatalogue() {
  auto catalogue = common::LoadCatalogue(config_.catalogue_file, clock_.NowMs());
  if (!catalogue.ok()) {
    common::LogError("catalogue file not reloaded, keeping the previous one: " +
                     catalogue.status().message());
    return catalogue.status();
  }
  {
    std::lock_guard lock(directory_mu_);
    // The same content keeps the catalogue received when it was first loaded (its age).
    if (*catalogue && catalogue_ && catalogue_->version() == (*catalogue)->version()) {
      return common::OkStatus();
    }
    catalogue_ = *catalogue;
  }
  if (*catalogue) {
    documents_.Publish(common::kCatalogueDocument, "", common::CatalogueRows(**catalogue),
                       clock_.NowMs());
    common::LogInfo("catalogue loaded: " + std::to_string((*catalogue)->products().size()) +
                    " SKUs, version " + (*catalogue)->version());
  }
  return common::OkStatus();
}

std::unique_ptr<AlertMonitor> CentralDaemon::MakeAlertMonitor() {
  AlertMonitorOptions options;
  options.interval_ms = config_.alert_interval_s * 1000;
  options.thresholds = AlertThresholds{
      config_.alert_cc_warehouse_share, config_.alert_sfs_stock_cancel_rate,
      config_.alert_availability,       config_.online_window_s,
      config_.alert_offline_s,          config_.alert_lag_s,
      config_.alert_lag_critical_s,     config_.alert_clock_skew_s,
      config_.alert_disk_free_bytes};
  auto fleet = [this](int64_t now_ms) -> common::StatusOr<nlohmann::json> {
    nlohmann::json fleet = fleet_.ToJson(*Directory(), refusals_, now_ms);
    fleet["central"]["storage"] = storage_.ToJson(now_ms);  // the central_not_storing rule
    return fleet;
  };
  auto kpis = [this](int64_t now_ms) { return reads_->KpisTodayByStore(now_ms); };
  auto monitor = std::make_unique<AlertMonitor>(options, fleet, kpis, clock_);
  if (alert_leadership_) monitor->set_leadership(alert_leadership_.get());
  return monitor;
}

// alerts.db in the data dir keeps the alerts across a restart; with --alert-webhook, its outbox
// feeds the delivery thread.
common::Status CentralDaemon::StartAlerts() {
  ASSIGN_OR_RETURN(alert_store_,
                   AlertStore::Open((std::filesystem::path(database_.data_dir) / "alerts.db").string(),
                                    config_.alert_webhook_max_pending));
  alerts_ = MakeAlertMonitor();
  RETURN_IF_ERROR(alerts_->Restore(alert_store_.get()));
  if (!config_.alert_webhook.empty()) {
    AlertDeliveryOptions options;
    options.receivers = config_.alert_webhook;
    options.external_url = "http://" + config_.http_listen + "/";
    options.timeout_ms = config_.alert_webhook_timeout_s * 1000;
    options.max_retry_ms = config_.alert_webhook_retry_max_s * 1000;
    alert_delivery_ = std::make_unique<AlertDelivery>(options, *alert_store_, clock_);
    alerts_->set_outbox(alert_delivery_.get());
    alert_delivery_->Start();
  }
  alerts_->Start();
  return common::OkStatus();
}

common::Status CentralDaemon::Check() const {
  RETURN_IF_ERROR(ValidateCentralConfig(config_));
  ASSIGN_OR_RETURN(auto key, common::LoadCurveSecretKey(config_.secret_key_file));
  (void)key;
  ASSIGN_OR_RETURN(auto directory, StoreDirectory::Load(config_.stores_file));
  (void)directory;
  ASSIGN_OR_RETURN(auto targets, common::LoadTargets(config_.targets_file));
  (void)targets;
  if (!config_.documents_file.empty()) {
    ASSIGN_OR_RETURN(auto documents, LoadDocumentsFile(config_.documents_file));
    (void)documents;
  }
  ASSIGN_OR_RETURN(auto reports, LoadReports(config_.reports_file));
  (void)reports;
  ASSIGN_OR_RETURN(auto catalogue, common::LoadCatalogue(config_.catalogue_file, 0));
  (void)catalogue;
  ASSIGN_OR_RETURN(DatabaseUrl database, ParseDatabaseUrl(config_.database, config_.data_dir));
  ASSIGN_OR_RETURN(auto http_security, common::LoadHttpSecurity(config_.http_security));
  (void)http_security;
  std::error_code ec;
  std::filesystem::create_directories(database.data_dir, ec);
  if (ec) {
    return common::Unavailable("cannot create the data directory " + database.data_dir + ": " +
                               ec.message());
  }
  return common::OkStatus();
}

common::Status CentralDaemon::Start() {
  RETURN_IF_ERROR(Check());
  ASSIGN_OR_RETURN(auto key, common::LoadCurveSecretKey(config_.secret_key_file));
  ASSIGN_OR_RETURN(directory_, StoreDirectory::Load(config_.stores_file));
  ASSIGN_OR_RETURN(targets_, common::LoadTargets(config_.targets_file));
  PublishStoreTargets(*directory_, *targets_);
  ASSIGN_OR_RETURN(auto reports, LoadReports(config_.reports_file));
  PublishReports(*reports);
  RETURN_IF_ERROR(ReloadCatalogue());
  ASSIGN_OR_RETURN(database_, ParseDatabaseUrl(config_.database, config_.data_dir));
  RETURN_IF_ERROR(database_.postgres ? OpenPostgres() : OpenSqlite());
  std::function<void()> catch_up;
  if (read_model_) catch_up = [this] { read_model_->WaitCaughtUp(2000); };
  reads_ = std::make_shared<const CentralReads>(
      database_.data_dir, std::move(catch_up), [this] { return Directory(); }, fleet_,
      [this] { return Catalogue(); });
  auto directory = [this] { return Directory(); };
  zap_ = std::make_unique<ZapAuthenticator>(context_, directory, refusals_, clock_);
  RETURN_IF_ERROR(zap_->Start());
  replication_ = std::make_unique<ReplicationServer>(context_, directory, *applier_, *log_, fleet_,
                                                     refusals_, storage_, clock_);
  DaySignoffOptions signoff;
  signoff.central_db = CentralDatabasePath(database_.data_dir);
  signoff.days_db = (std::filesystem::path(database_.data_dir) / "days.db").string();
  if (read_model_) signoff.catch_up = [this] { read_model_->WaitCaughtUp(2000); };
  if (database_.postgres) signoff.pg_conninfo = database_.conninfo;
  day_signoff_ =
      std::make_unique<DaySignoff>(signoff, directory, *applier_, fleet_, refusals_, clock_);
  RETURN_IF_ERROR(day_signoff_->Start());
  replication_->SetDaySignoff(day_signoff_.get());
  RETURN_IF_ERROR(PublishDocumentsFile());
  DocumentSenderOptions sender;
  sender.ack_timeout_ms = config_.document_ack_timeout_s * 1000;
  sender.part_bytes = static_cast<size_t>(config_.document_part_bytes);
  replication_->SetDocuments(&documents_, sender);
  replication_->SetNetworkStock(
      [this](const std::string& sku) { return reads_->NetworkStock(sku, clock_.NowMs()); });
  RETURN_IF_ERROR(replication_->Start(config_.listen, key.secret_key));
  RETURN_IF_ERROR(StartAlerts());
  context_publisher_ = std::make_unique<ContextPublisher>(
      config_.context_interval_s * 1000,
      [this](int64_t now_ms) { return reads_->NetworkContexts(now_ms); }, documents_, clock_);
  context_publisher_->Start();
  CentralHttpContext http{reads_,
                          directory,
                          &fleet_,
                          &refusals_,
                          [this] {
                            return nlohmann::json{
                                {"storepulse_central_events_applied_total",
                                 applier_->events_applied()},
                                {"storepulse_central_commits_total", applier_->groups_committed()}};
                          },
                          &clock_,
                          [this] { return Targets(); },
                          alerts_.get(),
                          [this] {
                            return read_model_ ? read_model_->Status()["views"]
                                               : common::ViewPassJson(views_->stats());
                          },
                          {},
                          day_signoff_.get(),
                          [this] { return storage_.ToJson(clock_.NowMs()); },
                          &documents_,
                          [this] { return replication_->DocumentCounters(); }};
  if (read_model_) http.read_model = [this] { return read_model_->Status(); };  // else sqlite
  http_ = std::make_unique<CentralHttpServer>(std::move(http));
  ASSIGN_OR_RETURN(common::HttpSecurity http_security,
                   common::LoadHttpSecurity(config_.http_security));
  if (http_security.tls) common::LogInfo("https: " + http_security.tls->summary());
  if (auto warning = common::HttpExposureWarning(config_.http_security, config_.http_listen);
      !warning.empty()) {
    common::LogWarning(warning);
  }
  RETURN_IF_ERROR(http_->Start(config_.http_listen, config_.http_threads,
                               config_.http_connections_per_client, std::move(http_security)));
  common::LogInfo("storepulse-central " STOREPULSE_VERSION ": " +
                  std::to_string(directory_->stores().size()) + " stores, replication " +
                  config_.listen + " (public key " + key.public_key + "), http " +
                  config_.http_listen);
  return common::OkStatus();
}

common::Status CentralDaemon::PublishDocumentsFile() {
  if (config_.documents_file.empty()) return common::OkStatus();
  ASSIGN_OR_RETURN(std::vector<FileDocument> documents, LoadDocumentsFile(config_.documents_file));
  for (FileDocument& document : documents) {
    documents_.Publish(document.kind, document.store, std::move(document.rows), clock_.NowMs());
  }
  return common::OkStatus();
}

void CentralDaemon::PublishStoreTargets(const StoreDirectory& directory,
                                        const common::TargetList& targets) {
  if (config_.targets_file.empty()) return;  // no file: the edges keep what they hold
  PublishTargets(documents_, directory, targets, clock_.NowMs());
}

void CentralDaemon::PublishReports(const common::ReportList& reports) {
  if (config_.reports_file.empty()) return;  // no file: the edges keep what they hold
  documents_.Publish(common::kReportsDocument, "", common::ReportsRows(reports), clock_.NowMs());
}

common::Status CentralDaemon::ReloadStores() {
  if (common::Status published = PublishDocumentsFile(); !published.ok()) {
    common::LogError("documents file not reloaded, keeping the previous documents: " +
                     published.message());
  }
  auto reports = LoadReports(config_.reports_file);
  if (!reports.ok()) {
    common::LogError("reports file not reloaded, keeping the previous one: " +
                     reports.status().message());
  } else {
    PublishReports(**reports);
    common::LogInfo("reports file reloaded: " + std::to_string((*reports)->size()) + " reports");
  }
  (void)ReloadCatalogue();  // each file is kept if it is broken
  auto targets = common::LoadTargets(config_.targets_file);
  if (!targets.ok()) {
    common::LogError("targets file not reloaded, keeping the previous one: " +
                     targets.status().message());
  } else {
    std::lock_guard lock(directory_mu_);
    targets_ = *targets;
  }
  auto directory = StoreDirectory::Load(config_.stores_file);
  if (!directory.ok()) {
    common::LogError("stores file not reloaded, keeping the previous one: " +
                     directory.status().message());
    PublishStoreTargets(*Directory(), *Targets());
    return directory.status();
  }
  {
    std::lock_guard lock(directory_mu_);
    directory_ = *directory;
  }
  PublishStoreTargets(**directory, *Targets());
  if (database_.postgres) {  // the reporting views' names and regions (docs/SQL.md)
    if (common::Status written = WritePgStores(database_.conninfo, **directory); !written.ok()) {
      common::LogError("stores table of PostgreSQL not written: " + written.message());
    }
  }
  common::LogInfo("stores file reloaded: " + std::to_string((*directory)->stores().size()) +
                  " stores" +
                  (targets.ok() ? ", " + std::to_string((*targets)->size()) + " targets" : ""));
  return targets.status();
}

void CentralDaemon::Stop() {
  // Stop taking work, let the applier finish and the acks go out, then close.
  if (http_) http_->Stop();
  if (context_publisher_) context_publisher_->Stop();
  if (alerts_) alerts_->Stop();
  if (alert_delivery_) alert_delivery_->Stop();
  if (fleet_sync_) fleet_sync_->Stop();
  if (replication_) replication_->Stop();
  if (day_signoff_) day_signoff_->Stop();
  if (applier_) applier_->Stop();
  if (views_) views_->Stop();
  if (read_model_) read_model_->Stop();
  if (zap_) zap_->Stop();
  http_.reset();
  context_publisher_.reset();
  alerts_.reset();
  alert_delivery_.reset();
  alert_store_.reset();
  alert_leadership_.reset();
  fleet_sync_.reset();
  day_signoff_.reset();
  replication_.reset();
  applier_.reset();
  views_.reset();
  read_model_.reset();
  zap_.reset();
  log_ = nullptr;
  store_.reset();
  pg_log_.reset();
}

std::vector<common::CustomerStore> CentralDaemon::CustomerStores() const {
  auto directory = Directory();
  std::vector<common::CustomerStore> stores;
  for (const StoreEntry& entry : directory->stores()) {
    stores.push_back({entry.store, entry.region, &entry.zone});
  }
  return stores;
}

common::StoreResolver CentralDaemon::Resolver() const {
  return [this](const std::string& store) -> std::optional<common::StoreContext> {
    auto directory = Directory();
    const StoreEntry* entry = directory->FindByStore(store);
    if (entry == nullptr) return std::nullopt;
    return common::StoreContext{entry->region, entry->zone};
  };
}

common::ViewPassOptions CentralDaemon::ViewOptions() const {
  common::ViewPassOptions options;
  options.group_ms = config_.view_group_ms;
  return options;
}

common::Status CentralDaemon::OpenSqlite() {
  ASSIGN_OR_RETURN(store_, CentralStore::Open(database_.data_dir, config_.durability == "full"));
  RETURN_IF_ERROR(store_->FillViews(CustomerStores()));
  ASSIGN_OR_RETURN(views_, store_->OpenViewPass(Resolver(), clock_, ViewOptions()));
  views_->Start();
  log_ = store_.get();
  applier_ = std::make_unique<BatchApplier>(
      *store_, clock_,
      BatchApplier::Hooks{[this] { views_->Throttle(); },
                          [this] { views_->Committed(store_->log_end()); }});
  return common::OkStatus();
}

common::Status CentralDaemon::OpenPostgres() {
  ASSIGN_OR_RETURN(pg_log_, PgLog::Open(database_.conninfo));
  RETURN_IF_ERROR(WritePgStores(database_.conninfo, *directory_));
  PgReadModelOptions options;
  options.conninfo = database_.conninfo;
  options.data_dir = database_.data_dir;
  options.database_id = pg_log_->database_id();
  // The record is PostgreSQL's: this copy is rebuilt from it after a crash.
  options.durable_full = false;
  options.resolve = Resolver();
  options.stores = [this] { return CustomerStores(); };
  options.views = ViewOptions();
  ASSIGN_OR_RETURN(read_model_, PgReadModel::Open(std::move(options), clock_));
  log_ = pg_log_.get();
  applier_ = std::make_unique<BatchApplier>(*pg_log_, clock_);
  const std::string name = CentralName();
  fleet_sync_ = std::make_unique<PgFleetSync>(database_.conninfo, name, fleet_, refusals_);
  fleet_sync_->Start();
  alert_leadership_ = std::make_unique<PgAlertLeadership>(database_.conninfo, name);
  return common::OkStatus();
}

}  // namespace storepulse::central
