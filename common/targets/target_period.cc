#include "common/targets/target_period.h"

#include <algorithm>
#include <chrono>

namespace storepulse::common {
namespace {

namespace chrono = std::chrono;

chrono::year_month_day Civil(int64_t day) {
  return chrono::year_month_day{chrono::sys_days{chrono::days{day}}};
}

int64_t DayNumber(chrono::year_month_day date) {
  return chrono::sys_days{date}.time_since_epoch().count();
}

}  // namespace

double LocalPeriod::Elapsed(int64_t now_ms) const {
  if (end_ms <= start_ms) return 1;
  const double part =
      static_cast<double>(now_ms - start_ms) / static_cast<double>(end_ms - start_ms);
  return std::clamp(part, 0.0, 1.0);
}

int64_t WeekStart(int64_t day) {
  // Day 0, 1970-01-01, was a Thursday: (day + 3) mod 7 counts days since Monday.
  const int64_t since_monday = ((day + 3) % 7 + 7) % 7;
  return day - since_monday;
}

int64_t MonthStart(int64_t day) {
  const chrono::year_month_day date = Civil(day);
  return DayNumber(date.year() / date.month() / chrono::day{1});
}

int64_t NextMonthStart(int64_t day) {
  const chrono::year_month_day date = Civil(day);
  const chrono::year_month next = date.year() / date.month() + chrono::months{1};
  return DayNumber(next / chrono::day{1});
}

LocalPeriod CurrentLocalPeriod(TargetPeriod period, const TimeZone& zone, int64_t now_ms) {
  const int64_t today = zone.LocalDayOf(now_ms);
  LocalPeriod p;
  switch (period) {
    case TargetPeriod::kDay:
      p.first_day = today, p.end_day = today + 1;
      break;
    case TargetPeriod::kWeek:
      p.first_day = WeekStart(today), p.end_day = p.first_day + 7;
      break;
    case TargetPeriod::kMonth:
      p.first_day = MonthStart(today), p.end_day = NextMonthStart(today);
      break;
  }
  p.start_ms = zone.LocalDayStartMs(p.first_day);
  p.end_ms = zone.LocalDayStartMs(p.end_day);
  return p;
}

}  // namespace storepulse::common
