// The ops dashboard: one self-contained HTML page (no external assets) reading /api/v1/fleet,
// /api/v1/kpi and the trends: fleet table, network KPIs and trends, refusals, and a view per store.
#pragma once

#include <string_view>

namespace storepulse::central {

extern const std::string_view kDashboardPage;

}  // namespace storepulse::central
