#include "edge/connectors/footfall_event.h"

#include <limits>

#include "common/checked_math.h"
#include "common/event_limits.h"
#include "edge/connectors/source_values.h"

namespace storepulse::edge {

nlohmann::json FootfallEvent(const std::string& id, const std::string& sensor, int64_t ts_ms,
                             int64_t period_s, FootfallCounts counts) {
  return {{"id", id},         {"type", "footfall"},   {"ts", ts_ms},
          {"sensor", sensor}, {"period_s", period_s}, {"in", counts.in},
          {"out", counts.out}};
}

FootfallCounts Oriented(FootfallCounts counts, const std::set<std::string>& swapped,
                        const std::string& sensor, const std::string& device) {
  const bool swap = swapped.count(sensor) > 0 || (!device.empty() && swapped.count(device) > 0);
  return swap ? FootfallCounts{counts.out, counts.in} : counts;
}

common::StatusOr<int64_t> IntervalSeconds(int64_t from_ms, int64_t to_ms) {
  // Checked: sources send times as any int64 of milliseconds, and a wrapped difference made an
  // interval of one second out of two times 2^64 ms apart.
  const std::optional<int64_t> length = common::CheckedSub(to_ms, from_ms);
  const int64_t length_ms = length.value_or(0);
  if (length_ms <= 0 || length_ms % 1000 != 0 || length_ms / 1000 > common::kMaxPeriodS) {
    return common::InvalidArgument(
        "the interval must end after it starts and last a whole "
        "number of seconds, at most " +
        std::to_string(common::kMaxPeriodS));
  }
  return length_ms / 1000;
}

std::optional<int64_t> JsonCount(const nlohmann::json& value) {
  if (value.is_number_unsigned()) {
    const uint64_t count = value.get<uint64_t>();
    if (count > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(count);
  }
  if (value.is_number_integer()) {
    const int64_t count = value.get<int64_t>();
    if (count >= 0) return count;
  }
  return std::nullopt;
}

common::StatusOr<int64_t> JsonTime(const nlohmann::json& value, const common::TimeZone& zone) {
  if (value.is_string()) return ParseSourceTime(value.get_ref<const std::string&>(), zone);
  if (value.is_number_integer()) return value.get<int64_t>();
  return common::InvalidArgument("not a time (an RFC 3339 string or Unix milliseconds): " +
                                 value.dump().substr(0, 40));
}

const nlohmann::json* Member(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

}  // namespace storepulse::edge
