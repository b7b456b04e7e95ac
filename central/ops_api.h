// Central's targets and alerts over HTTP (SPEC §6): GET /api/v1/targets (target_report.h, read
// through its own read-only connection per request), GET /api/v1/drivers (drivers_json.h), GET
// /api/v1/alerts (the AlertMonitor's last evaluation), and the alert gauges of GET /metrics.
// Handlers run on the HTTP server's threads.
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

// POST /api/v1/alerts/ack and /api/v1/alerts/silence (alert_requests.h) acknowledge and silence.
// Prometheus lines: storepulse_alert{kind,store,severity} (from the same answer as GET
// /api/v1/alerts), storepulse_central_alerts_raised, storepulse_central_alerts_critical.
std::string AlertMetrics(const CentralHttpContext& context);

}  // namespace storepulse::central
