// Small pieces every HTTP handler of storepulse shares (cpp-httplib): JSON answers, errors as
// {"error": "…"}, the HTTP status of a Status (Prometheus text: prometheus_text.h).
#pragma once

#include <cstdint>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/http/prometheus_text.h"  // PrometheusMetric, for the handlers that use it
#include "common/status.h"

namespace storepulse::common {

// Never throws: text that is not UTF-8 is sent with U+FFFD in its place.
void SendJson(httplib::Response& res, int status, const nlohmann::json& body);
void SendError(httplib::Response& res, int status, const std::string& message);
// 400 invalid, 401 permission, 404 not found, 422 a total would overflow, 507 disk nearly full,
// 503 unavailable, else 500.
int HttpStatusFor(const Status& status);

}  // namespace storepulse::common
