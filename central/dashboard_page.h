// The ops dashboard: one self-contained HTML page (no external assets) reading /api/v1/fleet and
// /api/v1/kpi: fleet table, network KPIs, refusals.
#pragma once

#include <string_view>

namespace storepulse::central {

extern const std::string_view kDashboardPage;

}  // namespace storepulse::central
