#include "edge/edge_daemon.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/log.h"
#include "common/store/wal.h"
#include "common/transport/curve_keys.h"

namespace storepulse::edge {

namespace {

// How often the source registry is written when it changed: at a crash, the sources' "last seen"
// of these last seconds is lost, which only delays a silence by as much.
constexpr int64_t kSourcesSaveMs = 5000;

common::StatusOr<std::string> ReadToken(const std::string& path) {
  std::ifstream in(path);
  if (!in) return common::NotFound("cannot read the HTTP token file " + path);
  std::string token;
  std::getline(in, token);
  while (!token.empty() && isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (token.empty()) return common::InvalidArgument("the HTTP token file " + path + " is empty");
  return token;
}

// The connectors' settings from the edge's options; the files they name are read here.
common::StatusOr<ConnectorSettings> LoadConnectorSettings(const EdgeConfig& config) {
  ConnectorSettings settings;
  if (!config.shopify_secret_file.empty()) {
    std::ifstream in(config.shopify_secret_file);
    if (!in) return common::NotFound("cannot read --shopify-secret-file " + config.shopify_secret_file);
    std::getline(in, settings.shopify_secret);
    while (!settings.shopify_secret.empty() &&
           isspace(static_cast<unsigned char>(settings.shopify_secret.back()))) {
      settings.shopify_secret.pop_back();
    }
    if (settings.shopify_secret.empty()) {
      return common::InvalidArgument("--shopify-secret-file " + config.shopify_secret_file +
                                     " is empty");
    }
  }
  std::stringstream locations(config.shopify_location);
  for (std::string location; std::getline(locations, location, ',');) {
    std::erase(location, ' ');
    if (location.empty()) continue;
    if (location != "web" && location.find_first_not_of("0123456789") != std::string::npos) {
      return common::InvalidArgument("--shopify-location: \"" + location +
                                     "\" is neither a location id (digits) nor web");
    }
    settings.shopify_locations.insert(location);
  }
  settings.csv_mappings = config.csv_mapping;
  std::stringstream sensors(config.swap_direction);
  for (std::string sensor; std::getline(sensors, sensor, ',');) {
    if (!sensor.empty()) settings.swapped_sensors.insert(sensor);
  }
  return settings;
}

}  // namespace

EdgeDaemon::EdgeDaemon(EdgeConfig config, const common::Clock& clock)
    : config_(std::move(config)), clock_(clock) {}

EdgeDaemon::~EdgeDaemon() { Stop(); }

common::Status EdgeDaemon::Check() const {
  RETURN_IF_ERROR(ValidateEdgeConfig(config_));
  ASSIGN_OR_RETURN(auto zone, common::TimeZone::Load(config_.timezone));
  (void)zone;
  if (!config_.http_token_file.empty()) {
    ASSIGN_OR_RETURN(auto token, ReadToken(config_.http_token_file));
    (void)token;
  }
  ASSIGN_OR_RETURN(auto http_security, common::LoadHttpSecurity(config_.http_security));
  (void)http_security;
  ASSIGN_OR_RETURN(auto connector_settings, LoadConnectorSettings(config_));
  ASSIGN_OR_RETURN(auto connectors, ConnectorRegistry::Create(connector_settings));
  (void)connectors;
  if (!config_.central_endpoint.empty()) {
    ASSIGN_OR_RETURN(auto keys, common::LoadCurveSecretKey(config_.secret_key_file));
    ASSIGN_OR_RETURN(auto centrals, CentralsWithKeys());
    (void)keys;
    (void)centrals;
  }
  std::error_code ec;
  std::filesystem::create_directories(config_.data_dir, ec);
  if (ec) {
    return common::Unavailable("cannot create the data directory " + config_.data_dir + ": " +
                               ec.message());
  }
  return common::OkStatus();
}

common::Status EdgeDaemon::Start() {
  RETURN_IF_ERROR(Check());
  ASSIGN_OR_RETURN(auto zone, common::TimeZone::Load(config_.timezone));
  zone_ = std::make_unique<common::TimeZone>(zone);
  Durability durability = config_.durability == "normal" ? Durability::kNormal : Durability::kFull;
  ASSIGN_OR_RETURN(store_, EventStore::Open(config_.data_dir, config_.store, *zone_, durability));
  disk_ = std::make_unique<DiskGuard>(config_.data_dir, config_.min_free_bytes,
                                      config_.min_free_percent, ticks_);
  common::ViewPassOptions view_options;
  view_options.group_ms = config_.view_group_ms;
  // 10,000 decoded events a group: fewer writes per event than 5,000 (the pass kept up: view lag
  // 4.5 s → 1.3 s under full ingest), within the edge's memory bound (tests/hostile).
  view_options.max_group_events = 10'000;
  ASSIGN_OR_RETURN(views_, store_->OpenViewPass(clock_, view_options));
  views_->Start();
  writer_ = std::make_unique<GroupCommitWriter>(*store_, *disk_, clock_, views_.get());
  ASSIGN_OR_RETURN(OpeningHours hours, OpeningHours::Parse(config_.opening_hours));
  silence_ = std::make_unique<SilenceRule>(
      std::move(hours), static_cast<int64_t>(config_.source_silent_minutes * 60'000), *zone_);
  sources_ = std::make_unique<SourceRegistry>(config_.data_dir, clock_);
  sources_->StartSaving(kSourcesSaveMs);
  ingest_ = std::make_unique<IngestService>(*writer_, config_.store, clock_, sources_.get());
  zmq_ = std::make_unique<ZmqIngestServer>(*ingest_, &metrics_);
  RETURN_IF_ERROR(zmq_->Start(config_.ingest_endpoint));
  ASSIGN_OR_RETURN(auto connector_settings, LoadConnectorSettings(config_));
  ASSIGN_OR_RETURN(connectors_, ConnectorRegistry::Create(connector_settings));
  ASSIGN_OR_RETURN(connector_state_, ConnectorState::Open(config_.data_dir));
  connector_ingest_ = std::make_unique<ConnectorIngest>(*ingest_, *connector_state_, clock_);
  EdgeHttpOptions http;
  http.listen = config_.http_listen;
  http.data_dir = config_.data_dir;
  http.threads = config_.http_threads;
  http.connections_per_client = config_.http_connections_per_client;
  http.store = config_.store;
  http.zone = zone_.get();
  ASSIGN_OR_RETURN(http.opening_hours, OpeningHours::Parse(config_.opening_hours));
  http.currency_digits = config_.currency_digits;
  if (!config_.http_token_file.empty()) {
    ASSIGN_OR_RETURN(http.token, ReadToken(config_.http_token_file));
  }
  ASSIGN_OR_RETURN(http.security, common::LoadHttpSecurity(config_.http_security));
  if (http.security.tls) common::LogInfo("https: " + http.security.tls->summary());
  if (auto warning = common::HttpExposureWarning(config_.http_security, config_.http_listen);
      !warning.empty()) {
    common::LogWarning(warning);
  }
  http_ = std::make_unique<EdgeHttpServer>(
      http, *ingest_, EdgeConnectors{connectors_.get(), connector_ingest_.get()}, metrics_, clock_,
      [this] { return Status(); }, [this] { return ReplicationStateNow(); },
      [this](const std::string& sku) { return NetworkStock(sku); });
  RETURN_IF_ERROR(http_->Start());
  RETURN_IF_ERROR(StartReplication());
  StartRetention();
  common::LogInfo("storepulse-edge " STOREPULSE_VERSION " store " + config_.store + " (" +
                  config_.timezone + "), incarnation " + writer_->info().incarnation +
                  ", last seq " + std::to_string(writer_->info().last_seq) + "; ingest " +
                  config_.ingest_endpoint + ", http " + config_.http_listen);
  return common::OkStatus();
}

common::Status EdgeDaemon::StartReplication() {
  if (config_.central_endpoint.empty()) {
    common::LogInfo("no --central-endpoint: this edge keeps its events to itself");
    return common::OkStatus();
  }
  ReplicatorOptions options;
  ASSIGN_OR_RETURN(options.session.centrals, CentralsWithKeys());
  ASSIGN_OR_RETURN(options.keys, common::LoadCurveSecretKey(config_.secret_key_file));
  options.data_dir = config_.data_dir;
  options.session.store = config_.store;
  options.session.incarnation = store_->info().incarnation;
  options.silent_sources = [this] { return SilentForHeartbeat(JudgeSources()); };
  options.write_reference = [this](std::function<common::Status(SQLite::Database&)> write) {
    return writer_->WriteReference(std::move(write));
  };
  if (config_.day_certify_days > 0) {
    DayCertifierOptions signoff;
    signoff.data_dir = config_.data_dir;
    signoff.zone = zone_.get();
    signoff.grace_ms = static_cast<int64_t>(config_.day_close_grace_minutes * 60'000);
    // A day retention pruned in part would never match central's: certify only whole days.
    signoff.days = config_.retention_days > 0
                       ? std::min(config_.day_certify_days, config_.retention_days - 1)
                       : config_.day_certify_days;
    day_certifier_ = std::make_unique<DayCertifier>(signoff);
    options.day_certifier = day_certifier_.get();
  }
  replicator_ = std::make_unique<Replicator>(
      options,
      [this] {
        DiskSpace disk = disk_->Read();
        return EdgeVitals{writer_->committed_seq(), static_cast<int64_t>(disk.free_bytes),
                          disk_->CheckRoom().ok()};
      },
      [this](const std::string& reason) { return writer_->StartNewIncarnation(reason); }, clock_,
      ticks_);
  return replicator_->Start();
}

common::StatusOr<std::vector<CentralEndpoint>> EdgeDaemon::CentralsWithKeys() const {
  ASSIGN_OR_RETURN(std::vector<CentralEndpoint> centrals,
                   ParseCentralEndpoints(config_.central_endpoint, config_.central_public_key));
  for (CentralEndpoint& central : centrals) {
    ASSIGN_OR_RETURN(central.public_key, common::LoadCurvePublicKey(central.public_key));
  }
  return centrals;
}

// Only what central acknowledged may go: without central, every event is kept.
void EdgeDaemon::StartRetention() {
  if (config_.retention_days == 0 || !replicator_) {
    common::LogInfo(config_.retention_days == 0
                        ? "--retention-days 0: every raw event is kept"
                        : "no central: every raw event is kept (retention prunes only what "
                          "central acknowledged)");
    return;
  }
  RetentionOptions options;
  options.retention_ms = int64_t{config_.retention_days} * 86'400'000;
  pruner_ = std::make_unique<RetentionPruner>(
      options,
      [this](int64_t max_seq, int64_t older_than_ms, size_t max_rows) {
        return writer_->Prune(max_seq, older_than_ms, max_rows);
      },
      // Acknowledged by central and folded into the views (the view pass's watermark).
      [this] { return std::min(replicator_->ConfirmedSeq(), views_->folded()); }, clock_);
  pruner_->Start();
}

void EdgeDaemon::Stop() {
  // Order matters: stop taking requests, then let the writer finish and answer what it holds.
  if (pruner_) pruner_->Stop();  // first: it asks the writer and the replicator
  pruner_.reset();
  if (replicator_) replicator_->Stop();  // kept until the HTTP workers are done with it
  if (http_) http_->Stop();
  if (zmq_) zmq_->Stop();
  if (writer_) writer_->Stop();
  if (views_) views_->Stop();
  http_.reset();
  replicator_.reset();
  zmq_.reset();
  connector_ingest_.reset();
  connector_state_.reset();
  ingest_.reset();
  if (sources_) sources_->Stop();  // after the last batch: its last arrivals are kept
  sources_.reset();
  writer_.reset();
  views_.reset();
  store_.reset();
}

nlohmann::json EdgeDaemon::Status() const {
  DiskSpace disk = disk_ ? disk_->Read() : DiskSpace{};
  const std::vector<SourceHealth> judged = JudgeSources();
  StoreInfo info = writer_ ? writer_->info() : StoreInfo{};
  nlohmann::json restarted = nullptr;  // the last time this database had to start a new stream
  if (!info.previous_incarnation.empty()) {
    restarted = {{"previous_incarnation", info.previous_incarnation},
                 {"at", common::FormatRfc3339Utc(info.incarnation_started_ms)},
                 {"reason", info.incarnation_reason}};
  }
  return {
      {"store", config_.store},
      {"timezone", config_.timezone},
      {"version", STOREPULSE_VERSION},
      {"incarnation", info.incarnation},
      {"stream_restarted", restarted},
      {"last_seq", writer_ ? writer_->committed_seq() : 0},
      {"disk_free_bytes", disk.free_bytes},
      {"disk_total_bytes", disk.total_bytes},
      {"disk_accepting", disk_ ? disk_->CheckRoom().ok() : false},
      {"wal_bytes", store_ ? common::WalFileBytes(store_->path()) : 0},
      {"clock", common::FormatRfc3339Utc(clock_.NowMs())},
      {"events_accepted", metrics_.accepted()},
      {"events_duplicate", metrics_.duplicate()},
      {"events_rejected", metrics_.rejected()},
      {"replication", replicator_ ? replicator_->Status() : nlohmann::json{{"configured", false}}},
      {"documents",
       replicator_ ? replicator_->DocumentsJson(clock_.NowMs()) : nlohmann::json(nullptr)},
      {"day_signoff", day_certifier_ ? day_certifier_->Status() : nlohmann::json(nullptr)},
      {"views", views_ ? common::ViewPassJson(views_->stats()) : nlohmann::json(nullptr)},
      {"retention", RetentionJson()},
      {"connectors", ConnectorsJson()},
      {"source_health", SourceHealthJson(judged)},
      {"sources", SourcesJson(judged)},
  };
}

common::StatusOr<nlohmann::json> EdgeDaemon::NetworkStock(const std::string& sku) const {
  if (!replicator_) return common::Unavailable("this edge has no central (--central-endpoint)");
  return replicator_->AskNetworkStock(sku);
}

std::optional<ReplicationState> EdgeDaemon::ReplicationStateNow() const {
  if (!replicator_) return std::nullopt;
  return replicator_->State();
}

nlohmann::json EdgeDaemon::ConnectorsJson() const {
  nlohmann::json out = nlohmann::json::object();
  if (!connectors_ || !connector_ingest_) return out;
  const auto counts = connector_ingest_->Counts();
  for (const std::string& name : connectors_->names()) {
    auto it = counts.find(name);
    const ConnectorCounts c = it == counts.end() ? ConnectorCounts{} : it->second;
    out[name] = {{"requests", c.requests},
                 {"refused", c.refused},
                 {"accepted", c.accepted},
                 {"duplicates", c.duplicates},
                 {"rejected", c.rejected},
                 {"skipped", c.skipped},
                 {"last_request", c.last_request_ms
                                      ? nlohmann::json(common::FormatRfc3339Utc(c.last_request_ms))
                                      : nlohmann::json(nullptr)}};
  }
  return out;
}

std::vector<SourceHealth> EdgeDaemon::JudgeSources() const {
  if (!sources_ || !silence_) return {};
  const int64_t now_ms = clock_.NowMs();
  return silence_->Judge(sources_->Snapshot(now_ms), now_ms);
}

nlohmann::json EdgeDaemon::SourceHealthJson(const std::vector<SourceHealth>& judged) const {
  const int64_t silent = std::count_if(judged.begin(), judged.end(),
                                       [](const SourceHealth& h) { return h.silent; });
  return {{"opening_hours", config_.opening_hours.empty() ? nlohmann::json(nullptr)
                                                          : nlohmann::json(config_.opening_hours)},
          {"open_now", silence_ ? silence_->OpenAt(clock_.NowMs()) : true},
          {"silent_after_minutes", config_.source_silent_minutes},
          {"silent", silent}};
}

nlohmann::json EdgeDaemon::RetentionJson() const {
  RetentionStatus r = pruner_ ? pruner_->Status() : RetentionStatus{};
  auto instant = [](int64_t ms) {
    return ms ? nlohmann::json(common::FormatRfc3339Utc(ms)) : nlohmann::json(nullptr);
  };
  return {{"days", config_.retention_days},
          {"active", pruner_ != nullptr},
          {"events_pruned", r.events_pruned},
          {"pruned_through_seq", r.pruned_through},
          {"oldest_event_received", instant(r.oldest_kept_received_ms)},
          {"last_pass", instant(r.last_pass_ms)},
          {"last_error",
           r.last_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.last_error)}};
}

}  // namespace storepulse::edge
