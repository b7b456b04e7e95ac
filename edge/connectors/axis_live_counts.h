// AXIS People Counter's live counts as footfall events. A reading is the application's
// live-sum.json — {"serial", "name", "timestamp" ("YYYYMMDDhhmmss", the camera's local time),
// "in", "out"} — whose in and out are cumulative totals; the body is one reading or an array.
//
// Each counter's last reading is kept (ConnectorOutput::state, key: its serial number) and each
// newer reading is differenced against it: one footfall event for the interval (kept reading →
// this reading): ts = the kept reading's time, period_s = the seconds between (rounded up),
// in/out = the totals' differences; id StableEventId("axis", {serial, the kept reading's time}):
// the interval is known by its start.
// A request's readings are taken in time order per counter. No event, and a `skipped` reason:
//
//   - the first reading of a counter: it sets the baseline;
//   - a reading not newer than the kept one: re-sent or out of order, already counted;
//   - a reset: either total lower than the kept one (the counter restarted, was reset, or rolled
//     over at midnight). Nothing is counted for that interval and the reading becomes the
//     baseline: how many people passed before the reset, and whether the new totals started from
//     zero, is unknown, and invented footfall would skew conversion; the loss is at most the
//     traffic after the reset within one reading interval;
//   - more than a day (86400 s) after the kept reading: the difference cannot be placed in time
//     (it may span several days), so it is not counted; the reading becomes the baseline.
//
// A reading that cannot be read (no serial, a total that is not an integer >= 0, a timestamp more
// than 24 h ahead of the edge's clock — a wrong camera clock would block the counter until then)
// is rejected and changes nothing. Crash safety: ConnectorIngest keeps the state only once the
// events are stored; were it lost in between (a crash, connectors.db locked), the reading sent
// again, or the next one, differences against the same kept reading and maps to the same id: a
// duplicate, never a second count (the next reading's traffic after the lost one is then not
// counted, at most one reading interval). Stateless itself; thread-safe.
#pragma once

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "edge/connectors/connector.h"

namespace storepulse::edge {

// `body`: a JSON object or array. `swapped`: --swap-direction's sensors (serial numbers here).
common::StatusOr<ConnectorOutput> MapAxisLiveCounts(const nlohmann::json& body,
                                                    const ConnectorRequest& request,
                                                    const std::set<std::string>& swapped);

}  // namespace storepulse::edge
