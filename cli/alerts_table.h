// The human view of central's alerts (GET /api/v1/alerts, see central/alert_monitor.h) for central
// ops: a summary line, a table of the raised alerts — most severe first, then newest — with the
// figure that raised each, its threshold and how long it has been raised, then what each one means
// and what to do, then the alerts cleared recently. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace storepulse::cli {

// Every line ends in "\n". Internal when `alerts` does not have the alerts answer's shape.
common::StatusOr<std::string> RenderAlerts(const nlohmann::json& alerts);

// An alert's figure in its unit: "66.7%" (fraction), "16m 40s" (seconds), "1.5 GiB" (bytes).
std::string FormatAlertValue(const nlohmann::json& value, const std::string& unit);

}  // namespace storepulse::cli
