// Small pieces every HTTP handler of storepulse shares (cpp-httplib): JSON answers, errors as
// {"error": "…"}, the HTTP status of a Status, and Prometheus text lines.
#pragma once

#include <cstdint>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/status.h"

namespace storepulse::common {

// Never throws: text that is not UTF-8 is sent with U+FFFD in its place.
void SendJson(httplib::Response& res, int status, const nlohmann::json& body);
void SendError(httplib::Response& res, int status, const std::string& message);
// 400 invalid, 401 permission, 404 not found, 422 a total would overflow, 507 disk nearly full,
// 503 unavailable, else 500.
int HttpStatusFor(const Status& status);
// One Prometheus metric with its HELP and TYPE lines.
std::string PrometheusMetric(const char* name, const char* help, int64_t value, const char* type);

}  // namespace storepulse::common
