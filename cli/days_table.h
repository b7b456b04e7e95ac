// `storepulse days` as a table (GET /api/v1/days, central/day_signoff.h): one line per store and
// day with its sign-off status, and for a day that is not certified what differs. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace storepulse::cli {

common::StatusOr<std::string> RenderDays(const nlohmann::json& answer);
// True when a day differs (exit status 1 for monitoring scripts).
bool DaysNeedAttention(const nlohmann::json& answer);

}  // namespace storepulse::cli
