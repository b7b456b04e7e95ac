// storepulse-edge assembled: the database, the group-commit writer, the ZeroMQ and HTTP ingest
// paths and (when configured) replication to central. Start() brings everything up or says why
// not; Stop() finishes the commit in flight, answers what was accepted, and closes the database.
// Start/Stop/Status from one thread (main); the parts run their own threads.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/config/daemon_main.h"
#include "common/status.h"
#include "common/time_util.h"
#include "common/time_zone.h"
#include "edge/day_certifier.h"
#include "edge/disk_guard.h"
#include "edge/edge_config.h"
#include "edge/edge_http_server.h"
#include "edge/edge_metrics.h"
#include "edge/event_store.h"
#include "edge/group_commit_writer.h"
#include "edge/ingest_service.h"
#include "edge/replicator.h"
#include "edge/retention_pruner.h"
#include "edge/source_health.h"
#include "edge/source_registry.h"
#include "edge/zmq_ingest_server.h"

namespace storepulse::edge {

class EdgeDaemon final : public common::Daemon {
 public:
  EdgeDaemon(EdgeConfig config, const common::Clock& clock);
  ~EdgeDaemon() override;

  // Checks the configuration against the machine (zone, data dir, token and key files) without
  // starting anything: what --check-config runs.
  common::Status Check() const override;
  common::Status Start() override;
  common::Status StartReplication();
  void StartRetention();
  void Stop() override;
  std::string ReadyStatus() const override { return "store " + config_.store + " ingesting"; }
  nlohmann::json Status() const;

 private:
  // {"days", "active", "events_pruned", "pruned_through_seq", "oldest_event_received",
  //  "last_pass", "last_error"}: what retention did since the start and what the database keeps.
  nlohmann::json RetentionJson() const;
  // {"<connector>": {"requests", "refused", "accepted", "duplicates", "rejected", "skipped",
  //  "last_request"}}: what each connector did since the start.
  nlohmann::json ConnectorsJson() const;
  std::optional<ReplicationState> ReplicationStateNow() const;  // none without a central
  // Central's network stock for GET /api/v1/stock?network=1 (Replicator::AskNetworkStock).
  common::StatusOr<nlohmann::json> NetworkStock(const std::string& sku) const;
  // {"opening_hours", "open_now", "silent_after_minutes", "silent"} and the sources
  // (edge/source_health.h SourcesJson): the source-health part of the status.
  nlohmann::json SourceHealthJson(const std::vector<SourceHealth>& judged) const;
  // The sources as the silence rule finds them now.
  std::vector<SourceHealth> JudgeSources() const;
  // The configured centrals with their public keys read (Z85).
  common::StatusOr<std::vector<CentralEndpoint>> CentralsWithKeys() const;
  EdgeConfig config_;
  const common::Clock& clock_;
  common::MonotonicClock ticks_;  // intervals (disk guard refresh, replication timers)
  std::unique_ptr<common::TimeZone> zone_;
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<common::ViewPass> views_;
  std::unique_ptr<DiskGuard> disk_;
  std::unique_ptr<SourceRegistry> sources_;  // the tills and counters heard from
  std::unique_ptr<SilenceRule> silence_;
  std::unique_ptr<GroupCommitWriter> writer_;
  std::unique_ptr<IngestService> ingest_;
  std::unique_ptr<ZmqIngestServer> zmq_;
  std::unique_ptr<ConnectorRegistry> connectors_;
  std::unique_ptr<ConnectorState> connector_state_;
  std::unique_ptr<ConnectorIngest> connector_ingest_;
  std::unique_ptr<EdgeHttpServer> http_;
  std::unique_ptr<DayCertifier> day_certifier_;  // before the replicator, which drives it
  std::unique_ptr<Replicator> replicator_;
  std::unique_ptr<RetentionPruner> pruner_;  // none: retention off or no central
  EdgeMetrics metrics_;
};

}  // namespace storepulse::edge
