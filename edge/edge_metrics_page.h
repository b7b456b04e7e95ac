// The edge's GET /metrics (docs/OPERATIONS.md, "Metrics"): the series both daemons export
// (common/http/daemon_metrics.h, build_info with the edge's store), ingest by path and result,
// the database, retention and view pass, and the replication stream's state. The connectors'
// own series are added by the HTTP server (EdgeHttpServer::ConnectorMetrics). Any thread.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "edge/edge_metrics.h"
#include "edge/replicator.h"

namespace storepulse::common {
class GuardedHttpServer;
}

namespace storepulse::edge {

struct EdgeMetricsSources {
  const EdgeMetrics* counters = nullptr;
  nlohmann::json status;                        // GET /api/v1/status
  std::optional<ReplicationState> replication;  // none: no central configured
  std::string store;
  std::string database_path;  // edge.db
  int64_t now_ms = 0;
};

std::string EdgeMetricsText(const common::GuardedHttpServer& server,
                            const EdgeMetricsSources& sources);

}  // namespace storepulse::edge
