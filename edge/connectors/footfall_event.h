// What the people-counter connectors (xovis, axis) share: the footfall event of SPEC §2 built from
// a counter's values, the direction swap of --swap-direction, and reading a counter's JSON
// numbers and times. Stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "common/time_zone.h"

namespace storepulse::edge {

struct FootfallCounts {
  int64_t in = 0;
  int64_t out = 0;
};

// A footfall event: `ts_ms` is the interval's start (UTC ms), `period_s` its length.
nlohmann::json FootfallEvent(const std::string& id, const std::string& sensor, int64_t ts_ms,
                             int64_t period_s, FootfallCounts counts);

// `counts` with in and out exchanged when `sensor` (or, for a sensor with several lines, the
// device it belongs to: `device`) is listed in --swap-direction: a counter mounted the other way
// round counts people coming in as going out.
FootfallCounts Oriented(FootfallCounts counts, const std::set<std::string>& swapped,
                        const std::string& sensor, const std::string& device = "");

// The length of the interval [from_ms, to_ms) in seconds: a whole number, 1 to 86400 (SPEC §2's
// period_s); InvalidArgument otherwise.
common::StatusOr<int64_t> IntervalSeconds(int64_t from_ms, int64_t to_ms);

// A JSON count: an integer ≥ 0 (a number, never a string); nothing otherwise.
std::optional<int64_t> JsonCount(const nlohmann::json& value);

// A JSON time: a string as ParseSourceTime reads it (RFC 3339, or local time in `zone`), or an
// integer of Unix milliseconds. UTC ms.
common::StatusOr<int64_t> JsonTime(const nlohmann::json& value, const common::TimeZone& zone);

// The member `key` of `object` when `object` is an object that has it; nullptr otherwise.
const nlohmann::json* Member(const nlohmann::json& object, const char* key);

}  // namespace storepulse::edge
