// The human view of GET /api/v1/drivers (common/targets/drivers_json.h): the sentence the store
// page shows — "behind last year by 1,240.00: footfall -8.0% (-910.00), conversion -1.0 pt
// (-520.00), basket +2.0% (+190.00)" — then one line per driver with its change and its part of
// the gap in money, and availability beside them. Money in currency units as in `storepulse kpi`.
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace storepulse::cli {

// "behind by …: driver change (amount), …"; "level with …" when the gap is 0; "" for no_data.
std::string DriversSentence(const nlohmann::json& answer);

// Every line ends in "\n". Internal when `answer` does not have the drivers answer's shape.
common::StatusOr<std::string> RenderDrivers(const nlohmann::json& answer);

}  // namespace storepulse::cli
