// Central's targets and alerts over HTTP (SPEC §6): GET /api/v1/targets (target_report.h, read
// through its own read-only connection per request), GET /api/v1/alerts (the AlertMonitor's last
// evaluation), and the alert gauges of GET /metrics. Handlers run on the HTTP server's threads.
#pragma once

#include <string>

#include "central/central_http_server.h"

namespace storepulse::common {
class GuardedHttpServer;
}

namespace storepulse::central {

// REQUIRES: `context` outlives the server. Without `targets` the list is empty; without `alerts`,
// GET /api/v1/alerts answers 503.
void AddOpsRoutes(common::GuardedHttpServer& server, const CentralHttpContext& context);

// Prometheus lines: storepulse_central_alerts_raised, storepulse_central_alerts_critical.
std::string AlertMetrics(const CentralHttpContext& context);

}  // namespace storepulse::central
