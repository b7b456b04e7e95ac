// The store staff's dashboard: one self-contained HTML page (no external assets, works offline on
// the store LAN) that reads /api/v1/kpi and /api/v1/status.
#pragma once

#include <string_view>

namespace storepulse::edge {

extern const std::string_view kDashboardPage;

}  // namespace storepulse::edge
