// The edge's HTTP interface (SPEC §6): POST /api/v1/events, GET /api/v1/kpi, /api/v1/stock,
// /api/v1/status, /metrics, /healthz and the store dashboard at /. cpp-httplib with a worker pool;
// each KPI or stock request reads through its own read-only SQLite connection, so queries never
// wait for ingest.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "common/time_util.h"
#include "edge/edge_metrics.h"
#include "edge/ingest_service.h"

namespace httplib {
class Server;
}

namespace storepulse::edge {

struct EdgeHttpOptions {
  std::string listen = "127.0.0.1:8601";
  std::string token;  // required as "Authorization: Bearer <token>" on POST when set
  std::string data_dir;
  int threads = 8;
};

class EdgeHttpServer {
 public:
  // `status` builds the /api/v1/status document (replication state lives elsewhere).
  EdgeHttpServer(EdgeHttpOptions options, IngestService& ingest, EdgeMetrics& metrics,
                 const common::Clock& clock, std::function<nlohmann::json()> status);
  ~EdgeHttpServer();
  EdgeHttpServer(const EdgeHttpServer&) = delete;
  EdgeHttpServer& operator=(const EdgeHttpServer&) = delete;

  common::Status Start();  // binds, then serves on its own threads
  void Stop();

 private:
  void Routes();
  EdgeHttpOptions options_;
  IngestService& ingest_;
  EdgeMetrics& metrics_;
  const common::Clock& clock_;
  std::function<nlohmann::json()> status_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace storepulse::edge
