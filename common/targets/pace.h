// Pace (docs/KPIS.md, "Pace"): how much of a normal day's net sales a store has done by this local
// time, from its own history — so that at 11:00 a store whose mornings are quiet is not called
// behind for having done less than 11/24 of its day target.
//
// A day's profile is the share of the day's net sales in each local hour 0–23:
//   - from history: the store's last kPaceWeeks same weekdays (Saturdays for a Saturday), each
//     hour's net sales summed over those days, over their total; a day with no positive total
//     (closed, no data yet) is left out;
//   - without history (no such day left): flat over the opening hours — each hour's share is its
//     open time over the day's (edge/opening_hours.h); always open: 1/24 an hour;
//   - a day the store is closed all day and has no history: no profile (share 0 all day).
// The share done by a moment is the shares of the hours before it plus the part of its hour gone
// by (linear within the hour). Then:
//   expected_by_now = day target × share
//   projected_close = actual / share (none while share is 0: before opening)
//   on_track        = actual ≥ expected_by_now × (1 − kOnTrackTolerance)
// A week or month target's share is the day weights of its days, each day's weight its profile's
// normal total (history: the average of its same-weekday totals; flat: 1 a day with opening
// hours, 0 closed), weighted by how much of each day is done (1 before today, today's share,
// 0 after): Σ weight × done / Σ weight. Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/kpi/kpi_answer.h"
#include "common/kpi/kpi_query.h"

namespace storepulse::common {

inline constexpr int kPaceWeeks = 8;

using HourAmounts = std::array<int64_t, 24>;  // per local hour 0–23 (net sales, or open ms)

struct DayProfile {
  std::array<double, 24> hour_share{};  // sums to 1, or all 0 (no profile)
  std::string basis;                    // "history", "opening_hours" or "closed"
  int days = 0;                         // the history days it was made from
  double normal_total = 0;              // history: the average day total; flat: 1; closed: 0
};

// `days`: net sales per local hour of the same weekdays before today (at most kPaceWeeks are
// used, the last ones). None when no day has a positive total.
std::optional<DayProfile> HistoryProfile(const std::vector<HourAmounts>& days);

// `open_ms`: how long the store is open in each local hour of the day.
DayProfile OpeningHoursProfile(const HourAmounts& open_ms);

// The part of the day done at `minute` (0–1440) after local midnight, 0–1.
double ShareDoneBy(const DayProfile& profile, double minute);

struct Pace {
  double share = 0;  // of the period's normal sales done by now, 0–1
  double expected_by_now = 0;
  std::optional<double> projected_close;  // none while share is 0
  bool on_track = false;
};

// `target` of the period, `actual` done so far, `share` (ShareDoneBy, or PeriodShare).
Pace JudgePace(double target, double actual, double share);

// Σ weight × done / Σ weight; 0 when the weights sum to 0. REQUIRES: same sizes.
double PeriodShare(const std::vector<double>& weights, const std::vector<double>& done);

// The weekday of local day number `day`: 0 = Monday … 6 = Sunday.
int64_t WeekdayOf(int64_t day);

// A store's seven weekday profiles (index WeekdayOf) and each weekday's weight in a week or month.
struct WeekProfiles {
  std::array<DayProfile, 7> profiles;
  std::array<double, 7> weights{};
};

// `history`: net sales per local hour by local day (days before `today`; the last kPaceWeeks of
// each weekday are used); `open_ms(day)`: how long the store is open in each hour of local day
// `day`, for the weekdays without history.
WeekProfiles BuildWeekProfiles(const std::map<int64_t, HourAmounts>& history, int64_t today,
                               const std::function<HourAmounts(int64_t day)>& open_ms);

// The by=hour query of the history pace reads: the kPaceWeeks × 7 local days before `today`.
KpiRequest PaceHistoryRequest(int64_t today);
// Its answer's net sales per local hour, by local day (rows keyed "2026-11-22T10:00:00+01:00").
std::map<int64_t, HourAmounts> HourlyNetSales(const KpiAnswer& by_hour);

// The share of the normal sales of local days [first_day, end_day) done at `minute` of `today`.
double ShareOfPeriod(const WeekProfiles& week, int64_t first_day, int64_t end_day, int64_t today,
                     double minute);

}  // namespace storepulse::common
