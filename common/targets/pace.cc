#include "common/targets/pace.h"

#include <algorithm>
#include <cmath>

#include "common/targets/target_progress.h"
#include "common/time_zone.h"

namespace storepulse::common {

std::optional<DayProfile> HistoryProfile(const std::vector<HourAmounts>& days) {
  const size_t first = days.size() > kPaceWeeks ? days.size() - kPaceWeeks : 0;
  std::array<double, 24> sums{};
  double total = 0;
  int used = 0;
  for (size_t d = first; d < days.size(); ++d) {
    double day_total = 0;
    for (int64_t amount : days[d]) day_total += static_cast<double>(amount);
    if (day_total <= 0) continue;  // closed, or nothing recorded yet
    for (size_t h = 0; h < 24; ++h) sums[h] += static_cast<double>(days[d][h]);
    total += day_total;
    ++used;
  }
  if (used == 0) return std::nullopt;
  DayProfile profile;
  for (size_t h = 0; h < 24; ++h) profile.hour_share[h] = sums[h] / total;
  profile.basis = "history";
  profile.days = used;
  profile.normal_total = total / used;
  return profile;
}

DayProfile OpeningHoursProfile(const HourAmounts& open_ms) {
  DayProfile profile;
  double total = 0;
  for (int64_t ms : open_ms) total += static_cast<double>(std::max<int64_t>(ms, 0));
  if (total <= 0) {
    profile.basis = "closed";
    return profile;
  }
  for (size_t h = 0; h < 24; ++h) {
    profile.hour_share[h] = static_cast<double>(std::max<int64_t>(open_ms[h], 0)) / total;
  }
  profile.basis = "opening_hours";
  profile.normal_total = 1;
  return profile;
}

double ShareDoneBy(const DayProfile& profile, double minute) {
  minute = std::clamp(minute, 0.0, 1440.0);
  double share = 0;
  for (int h = 0; h < 24; ++h) {
    const double part = std::clamp((minute - h * 60.0) / 60.0, 0.0, 1.0);
    share += profile.hour_share[static_cast<size_t>(h)] * part;
  }
  return std::clamp(share, 0.0, 1.0);
}

Pace JudgePace(double target, double actual, double share) {
  Pace pace;
  pace.share = share;
  pace.expected_by_now = target * share;
  if (share > 0) pace.projected_close = actual / share;
  pace.on_track = actual >= pace.expected_by_now * (1 - kOnTrackTolerance);
  return pace;
}

double PeriodShare(const std::vector<double>& weights, const std::vector<double>& done) {
  double weighted = 0, total = 0;
  for (size_t i = 0; i < weights.size() && i < done.size(); ++i) {
    weighted += weights[i] * done[i];
    total += weights[i];
  }
  return total > 0 ? weighted / total : 0;
}

int64_t WeekdayOf(int64_t day) { return ((day + 3) % 7 + 7) % 7; }  // day 0 was a Thursday

WeekProfiles BuildWeekProfiles(const std::map<int64_t, HourAmounts>& history, int64_t today,
                               const std::function<HourAmounts(int64_t day)>& open_ms) {
  WeekProfiles week;
  double history_total = 0;
  int history_weekdays = 0;
  std::array<bool, 7> from_history{};
  for (int64_t offset = 0; offset < 7; ++offset) {
    const int64_t day = today - offset;  // the latest day of its weekday up to today
    const size_t weekday = static_cast<size_t>(WeekdayOf(day));
    // The kPaceWeeks days of this weekday before today, oldest first.
    std::vector<HourAmounts> days;
    const int64_t last = offset == 0 ? today - 7 : day;
    for (int64_t back = kPaceWeeks - 1; back >= 0; --back) {
      auto it = history.find(last - 7 * back);
      days.push_back(it == history.end() ? HourAmounts{} : it->second);
    }
    if (std::optional<DayProfile> profile = HistoryProfile(days)) {
      week.profiles[weekday] = *profile;
      from_history[weekday] = true;
      history_total += profile->normal_total;
      ++history_weekdays;
    } else {
      week.profiles[weekday] = OpeningHoursProfile(open_ms(day));
    }
  }
  // A weekday without history weighs the mean of those with (when it opens); no history at all:
  // 1 a day the store opens.
  const double mean = history_weekdays > 0 ? history_total / history_weekdays : 1;
  for (size_t w = 0; w < 7; ++w) {
    week.weights[w] = from_history[w]                      ? week.profiles[w].normal_total
                      : week.profiles[w].basis == "closed" ? 0
                                                           : mean;
  }
  return week;
}

KpiRequest PaceHistoryRequest(int64_t today) {
  KpiRequest request;
  request.from = TimeZone::FormatLocalDate(today - 7 * kPaceWeeks);
  request.to = TimeZone::FormatLocalDate(today);
  request.by = GroupBy::kHour;
  return request;
}

std::map<int64_t, HourAmounts> HourlyNetSales(const KpiAnswer& by_hour) {
  std::map<int64_t, HourAmounts> days;
  for (const KpiRow& row : by_hour.rows) {
    if (row.key.size() < 13) continue;
    StatusOr<int64_t> day = TimeZone::ParseLocalDate(row.key.substr(0, 10));
    const KpiValue& net = row[Kpi::kNetSales];
    const char tens = row.key[11], units = row.key[12];
    if (!day.ok() || net.is_null() || !net.is_integer() || tens < '0' || tens > '2' ||
        units < '0' || units > '9') {
      continue;
    }
    const int hour = (tens - '0') * 10 + (units - '0');
    if (hour > 23) continue;
    days.try_emplace(*day).first->second[static_cast<size_t>(hour)] += net.integer();
  }
  return days;
}

double ShareOfPeriod(const WeekProfiles& week, int64_t first_day, int64_t end_day, int64_t today,
                     double minute) {
  if (end_day == first_day + 1 && first_day == today) {
    return ShareDoneBy(week.profiles[static_cast<size_t>(WeekdayOf(today))], minute);
  }
  std::vector<double> weights, done;
  for (int64_t day = first_day; day < end_day; ++day) {
    const size_t weekday = static_cast<size_t>(WeekdayOf(day));
    weights.push_back(week.weights[weekday]);
    done.push_back(day < today    ? 1.0
                   : day == today ? ShareDoneBy(week.profiles[weekday], minute)
                                  : 0.0);
  }
  return PeriodShare(weights, done);
}

}  // namespace storepulse::common
