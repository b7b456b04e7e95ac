// The series of GET /metrics that both daemons export alike, whatever else they say: which build
// runs (storepulse_build_info), the process as the kernel sees it (process_*, the names every
// Prometheus exporter uses), the duration of each HTTP request by route, the HTTP guard's
// refusals, and the size of the SQLite database file. Each daemon appends its own series after
// these (edge/edge_metrics_page.h, central/central_metrics_page.h). Any thread.
#pragma once

#include <string>

#include "common/http/prometheus_text.h"

namespace storepulse::common {

class GuardedHttpServer;

struct DaemonMetricsInfo {
  std::string daemon;             // "edge" or "central": the label of storepulse_build_info
  PrometheusLabels build_labels;  // more labels of storepulse_build_info (the edge's store)
  std::string prefix;             // "storepulse_edge_" or "storepulse_central_"
  std::string database_path;      // the SQLite file: <prefix>database_bytes
};

void AppendDaemonMetrics(PrometheusText& text, const GuardedHttpServer& server,
                         const DaemonMetricsInfo& info);

}  // namespace storepulse::common
