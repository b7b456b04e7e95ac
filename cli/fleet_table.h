// The human view of central's fleet answer (GET /api/v1/fleet, see central/fleet.h), for an
// on-call engineer: a summary line, central's clock, a table of the stores with the ones needing
// attention first (offline, never seen, then lagging or with a full disk or a skewed clock), and
// the connections central refused with what to do about each. Also the rule for "does the fleet
// need attention" that `storepulse fleet`'s exit status follows. Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace storepulse::cli {

// A clock further off central's than this is flagged SKEWED.
inline constexpr std::chrono::seconds kMaxClockSkew{120};
// A store whose oldest unsent event is older than this is "lagging" (sorted first).
inline constexpr std::chrono::seconds kLagging{60};
// A refusal counts as a current problem if its last occurrence is this recent (central's clock):
// an edge that is refused retries every few seconds.
inline constexpr std::chrono::minutes kRecentRefusal{10};
// A store's stream that went backwards is a current problem for a day (as its alert).
inline constexpr int64_t kRecentRollbackS = 86'400;

// The summary line, central's clock, the stores table, the streams that went backwards and the
// refused connections, every line
// ending in "\n". Times are UTC, as central reports them. Internal when `fleet` does not have
// the fleet answer's shape ("summary" object, "stores" array).
common::StatusOr<std::string> RenderFleet(const nlohmann::json& fleet);

// True when a store is offline or was never seen, an edge's disk refuses events, a store's stream
// went backwards within kRecentRollbackS, or central refused a connection within kRecentRefusal. Lag and clock skew alone are not (they are shown).
bool FleetNeedsAttention(const nlohmann::json& fleet);

// 0 → "0s", 303 → "5m 3s", 7320 → "2h 2m", 90000 → "1d 1h"; negative values get a "-".
std::string FormatDuration(int64_t seconds);
// 48318382080 → "45.0 GiB"; under a GiB in MiB: 536870912 → "512 MiB".
std::string FormatBytes(int64_t bytes);

}  // namespace storepulse::cli
