// When the store is open (--opening-hours), per weekday, in the store's local time: source health
// counts a till's or a counter's silence only while the store is open (edge/source_health.h).
//
//   "mon-fri 09:00-19:00; sat 10:00-18:00"
//
// Entries are separated by ';', each a list of days and a list of hours: days are mon tue wed thu
// fri sat sun (any case), alone or as ranges ("mon-fri", "sat-mon" wraps), separated by ','; hours
// are HH:MM-HH:MM ranges separated by ',' ("09:00-12:30, 14:00-19:00"), or the word "closed".
// Days not named are closed; an empty text means always open. "24:00" may end a range
// ("00:00-24:00": the whole day). A range that ends at or before its start runs past midnight and
// belongs to the day it starts on: "fri 20:00-02:00" is open Friday 20:00 to Saturday 02:00, even
// if Saturday is not named. Times are wall-clock times of the store's zone: on a night the clocks
// change, a time that happens twice is its first occurrence and one that does not exist is the
// moment of the change (common/time_zone.h). Immutable after Parse; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/time_zone.h"

namespace storepulse::edge {

class OpeningHours {
 public:
  // Always open.
  OpeningHours() = default;
  // InvalidArgument saying what is wrong and where, e.g. `"fry" is not a day (mon, tue, …)`.
  static common::StatusOr<OpeningHours> Parse(std::string_view text);

  bool always_open() const { return always_open_; }

  // How long the store is open within [from_ms, to_ms), in ms (0 when to_ms <= from_ms). Spans
  // longer than 400 days are counted over their last 400 days.
  int64_t OpenMsBetween(int64_t from_ms, int64_t to_ms, const common::TimeZone& zone) const;
  // The instant at which the store has been open `open_ms` since from_ms (from_ms itself for 0),
  // if that comes before limit_ms.
  std::optional<int64_t> InstantAfterOpen(int64_t from_ms, int64_t open_ms, int64_t limit_ms,
                                          const common::TimeZone& zone) const;

 private:
  struct Span {
    int weekday = 0;    // 0 = Monday
    int start_min = 0;  // minutes after local midnight
    int end_min = 0;    // > start_min; past 1440 when the range runs past midnight
  };
  // The open intervals meeting [from_ms, to_ms), clipped to it, sorted and merged.
  std::vector<std::pair<int64_t, int64_t>> OpenIntervals(int64_t from_ms, int64_t to_ms,
                                                         const common::TimeZone& zone) const;

  bool always_open_ = true;
  std::vector<Span> spans_;
};

}  // namespace storepulse::edge
