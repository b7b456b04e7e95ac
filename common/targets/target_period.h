// The current period of a target in one store's zone (SPEC §3: periods are local): the local day,
// the ISO week (Monday to Sunday) or the calendar month holding `now`, as local day numbers and as
// instants (a DST change makes a week 167 or 169 hours long). Pure functions; thread-safe.
#pragma once

#include <cstdint>

#include "common/targets/targets_file.h"
#include "common/time_zone.h"

namespace storepulse::common {

struct LocalPeriod {
  int64_t first_day = 0;  // local day numbers (TimeZone), [first_day, end_day)
  int64_t end_day = 0;
  int64_t start_ms = 0;  // local midnight of first_day, UTC ms
  int64_t end_ms = 0;    // local midnight of end_day, UTC ms

  // The part of the period before `now_ms`, 0–1.
  double Elapsed(int64_t now_ms) const;
};

// The local day, ISO week or calendar month holding `now_ms` in `zone`.
LocalPeriod CurrentLocalPeriod(TargetPeriod period, const TimeZone& zone, int64_t now_ms);

// Monday (ISO weekday 1) of the week holding local day `day`.
int64_t WeekStart(int64_t day);
// The first day of the month holding `day`, and of the month after.
int64_t MonthStart(int64_t day);
int64_t NextMonthStart(int64_t day);

}  // namespace storepulse::common
