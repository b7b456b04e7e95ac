// Central's HTTP interface (SPEC §6): GET /api/v1/kpi?scope=…, /api/v1/kpi/hours?scope=… (today
// and last week by hour), /api/v1/fleet, /api/v1/fleet/trend (fleet_trend.h), /api/v1/targets,
// /api/v1/alerts (ops_api.h), /api/v1/stock (network_stock.h), /metrics, /healthz and the ops
// dashboard at /, on a GuardedHttpServer (each client bounded in connections, time and bytes). Each
// KPI or stock request reads through its own read-only SQLite connection.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "central/central_reads.h"
#include "central/document_board.h"
#include "central/document_sender.h"
#include "central/fleet.h"
#include "central/refusals.h"
#include "central/stores_file.h"
#include "common/config/http_security.h"
#include "common/status.h"
#include "common/targets/targets_file.h"
#include "common/time_util.h"

namespace storepulse::common {
class GuardedHttpServer;
}

namespace storepulse::central {

class AlertMonitor;
class CentralMetricsPage;
class DaySignoff;

struct CentralHttpContext {
  std::shared_ptr<const CentralReads> reads;  // every read of central's figures
  std::function<std::shared_ptr<const StoreDirectory>()> directory;
  const Fleet* fleet = nullptr;
  const Refusals* refusals = nullptr;
  std::function<nlohmann::json()> metrics;  // counters for /metrics, name → integer
  const common::Clock* clock = nullptr;
  std::function<std::shared_ptr<const common::TargetList>()>
      targets;                     // as last loaded; may be empty
  AlertMonitor* alerts = nullptr;  // not owned; may be null; acknowledged, silenced over HTTP
  // The view pass (ViewPassJson), for /metrics and the fleet's `central.views`; may be empty.
  std::function<nlohmann::json()> views;
  // With a PostgreSQL log, the read model (PgReadModel::Status); empty with SQLite.
  std::function<nlohmann::json()> read_model;
  DaySignoff* days = nullptr;  // not owned; GET /api/v1/days (ops_api.h); null: 503
  // Whether central stores what the edges send (StorageState::ToJson); may be empty.
  std::function<nlohmann::json()> storage;
  // What central publishes to its edges (reference documents); not owned; may be null.
  DocumentBoard* documents = nullptr;
  // What the replication server sent of them since the start (/metrics); may be empty.
  std::function<DocumentSenderCounters()> document_counters;
};

class CentralHttpServer {
 public:
  explicit CentralHttpServer(CentralHttpContext context);
  ~CentralHttpServer();

  // `connections_per_client`: the cap per client address (0: none), below `threads`;
  // `security`: HTTPS and the read token (none: plain HTTP, reads open).
  common::Status Start(const std::string& listen, int threads, int connections_per_client,
                       common::HttpSecurity security = {});
  void Stop();

 private:
  void Routes();
  int64_t WalBytes() const;  // central.db-wal
  CentralHttpContext context_;
  std::unique_ptr<common::GuardedHttpServer> server_;
  std::unique_ptr<CentralMetricsPage> metrics_page_;  // GET /metrics
  std::thread thread_;
};

}  // namespace storepulse::central
