// The edge's HTTP interface (SPEC §6): POST /api/v1/events, POST /api/v1/connectors/<name>
// (docs/CONNECTORS.md), GET /api/v1/kpi, /api/v1/stock, /api/v1/context, /api/v1/reports,
// /api/v1/targets, /api/v1/drivers, /api/v1/status, /metrics, /healthz and the store dashboard at
// /. A GuardedHttpServer (each client bounded in connections, time and bytes; the token checked
// before a body is read) with a worker pool; each KPI or stock request reads through its own
// read-only SQLite connection, so queries never wait for ingest.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "common/config/http_security.h"
#include "common/http/http_limits.h"
#include "common/status.h"
#include "common/time_util.h"
#include "common/time_zone.h"
#include "edge/connectors/connector_ingest.h"
#include "edge/connectors/connector_registry.h"
#include "edge/edge_metrics.h"
#include "edge/ingest_service.h"
#include "edge/opening_hours.h"
#include "edge/replicator.h"

namespace storepulse::common {
class GuardedHttpServer;
}

namespace storepulse::edge {

struct EdgeHttpOptions {
  std::string listen = "127.0.0.1:8601";
  std::string token;  // required as "Authorization: Bearer <token>" on POST when set
  common::HttpSecurity security;  // HTTPS, and the read token of the page's data and read APIs
  std::string data_dir;
  int threads = 16;
  int connections_per_client = common::kHttpDefaultConnectionsPerClient;  // 0: no cap
  // For POST /api/v1/connectors/<name>: the store, its zone, the currency's digits.
  std::string store;
  const common::TimeZone* zone = nullptr;
  int currency_digits = 2;
  OpeningHours opening_hours;  // the flat pace profile of a store without history
};

// The connectors behind POST /api/v1/connectors/<name>; none when `registry` is null.
struct EdgeConnectors {
  const ConnectorRegistry* registry = nullptr;
  ConnectorIngest* ingest = nullptr;
};

class EdgeHttpServer {
 public:
  // Central's answer for GET /api/v1/stock?sku=S&network=1 (Replicator::AskNetworkStock); empty:
  // no central.
  using NetworkStockFn = std::function<common::StatusOr<nlohmann::json>(const std::string& sku)>;
  // `status` builds the /api/v1/status document (replication state lives elsewhere);
  // `replication` (may be empty) gives the stream's state for /metrics, none without a central.
  EdgeHttpServer(EdgeHttpOptions options, IngestService& ingest, EdgeConnectors connectors,
                 EdgeMetrics& metrics, const common::Clock& clock,
                 std::function<nlohmann::json()> status,
                 std::function<std::optional<ReplicationState>()> replication = {},
                 NetworkStockFn network_stock = {});
  ~EdgeHttpServer();
  EdgeHttpServer(const EdgeHttpServer&) = delete;
  EdgeHttpServer& operator=(const EdgeHttpServer&) = delete;

  common::Status Start();  // binds, then serves on its own threads
  void Stop();

 private:
  void Routes();
  void ConnectorRoutes();
  void ReferenceRoutes();  // GET /api/v1/context, /api/v1/reports, /api/v1/reports/NAME
  // storepulse_edge_connector_* series, one per connector that had a request.
  std::string ConnectorMetrics() const;
  EdgeHttpOptions options_;
  IngestService& ingest_;
  EdgeConnectors connectors_;
  EdgeMetrics& metrics_;
  const common::Clock& clock_;
  std::function<nlohmann::json()> status_;
  std::function<std::optional<ReplicationState>()> replication_;
  NetworkStockFn network_stock_;
  std::unique_ptr<common::GuardedHttpServer> server_;
  std::thread thread_;
};

}  // namespace storepulse::edge
