// Pace (common/targets/pace.h) against hand computations: a history with a known profile, no
// history (flat over opening hours), a closed day, before opening, a week.
#include "common/targets/pace.h"

#include <gtest/gtest.h>

#include <map>

#include "common/time_zone.h"

namespace storepulse::common {
namespace {

HourAmounts Day(int64_t at9, int64_t at10, int64_t at11) {
  HourAmounts day{};
  day[9] = at9, day[10] = at10, day[11] = at11;
  return day;
}

TEST(PaceTest, HistoryGivesTheStoresOwnProfile) {
  // Nine same weekdays, the oldest beyond the 8 weeks (ignored: its 11:00 would change the
  // profile), one of the eight closed (left out): 7 days of 100 / 300 / 600 and one of 200 / 600 /
  // 1,200. Sums 900 / 2,700 / 5,400 of 9,000: shares 0.1, 0.3, 0.6.
  std::vector<HourAmounts> days = {Day(0, 0, 99'999)};
  for (int i = 0; i < 6; ++i) days.push_back(Day(100, 300, 600));
  days.push_back(Day(0, 0, 0));
  days.push_back(Day(200, 600, 1'200));
  const std::optional<DayProfile> profile = HistoryProfile(days);
  ASSERT_TRUE(profile.has_value());
  EXPECT_EQ(profile->basis, "history");
  EXPECT_EQ(profile->days, 7);
  EXPECT_DOUBLE_EQ(profile->normal_total, 8'000.0 / 7);  // (6 × 1,000 + 2,000) / 7
  EXPECT_DOUBLE_EQ(profile->hour_share[9], 0.1);
  EXPECT_DOUBLE_EQ(profile->hour_share[11], 0.6);
  // 10:30: all of 9:00 (0.1) and half of 10:00 (0.15).
  EXPECT_DOUBLE_EQ(ShareDoneBy(*profile, 10 * 60 + 30), 0.25);
  EXPECT_DOUBLE_EQ(ShareDoneBy(*profile, 8 * 60), 0);
  EXPECT_DOUBLE_EQ(ShareDoneBy(*profile, 1440), 1);
  // A day target of 2,000 at 10:30: 500 expected by now. 450 is behind (below 475 = 500 × 0.95)
  // and projects 1,800 at close; 480 is on track.
  const Pace behind = JudgePace(2'000, 450, 0.25);
  EXPECT_DOUBLE_EQ(behind.expected_by_now, 500);
  EXPECT_DOUBLE_EQ(*behind.projected_close, 1'800);
  EXPECT_FALSE(behind.on_track);
  EXPECT_TRUE(JudgePace(2'000, 480, 0.25).on_track);
}

TEST(PaceTest, NoHistoryIsFlatOverOpeningHours) {
  EXPECT_FALSE(HistoryProfile({}).has_value());
  EXPECT_FALSE(HistoryProfile({Day(0, 0, 0), Day(0, 0, 0)}).has_value());
  HourAmounts open{};
  for (int h = 9; h < 17; ++h) open[static_cast<size_t>(h)] = 3'600'000;  // 09:00–17:00
  const DayProfile flat = OpeningHoursProfile(open);
  EXPECT_EQ(flat.basis, "opening_hours");
  EXPECT_DOUBLE_EQ(flat.hour_share[9], 0.125);
  EXPECT_DOUBLE_EQ(flat.hour_share[8], 0);
  EXPECT_DOUBLE_EQ(ShareDoneBy(flat, 11 * 60 + 15), 0.28125);  // 2.25 of 8 hours
  // Before opening: nothing expected yet, no projection, on track.
  const Pace early = JudgePace(8'000, 0, ShareDoneBy(flat, 8 * 60));
  EXPECT_DOUBLE_EQ(early.share, 0);
  EXPECT_DOUBLE_EQ(early.expected_by_now, 0);
  EXPECT_FALSE(early.projected_close.has_value());
  EXPECT_TRUE(early.on_track);
}

TEST(PaceTest, AClosedDayHasNoProfile) {
  const DayProfile closed = OpeningHoursProfile(HourAmounts{});
  EXPECT_EQ(closed.basis, "closed");
  EXPECT_DOUBLE_EQ(closed.normal_total, 0);
  EXPECT_DOUBLE_EQ(ShareDoneBy(closed, 15 * 60), 0);
}

TEST(PaceTest, AWeekWeighsItsDaysByTheirNormalSales) {
  // Mon–Sat weigh 1, Sunday (closed) 0; Monday and Tuesday done, Wednesday half: 2.5 / 6.
  EXPECT_DOUBLE_EQ(PeriodShare({1, 1, 1, 1, 1, 1, 0}, {1, 1, 0.5, 0, 0, 0, 0}), 2.5 / 6);
  // Saturday weighing 3: 2.5 / 8.
  EXPECT_DOUBLE_EQ(PeriodShare({1, 1, 1, 1, 1, 3, 0}, {1, 1, 0.5, 0, 0, 0, 0}), 2.5 / 8);
  EXPECT_DOUBLE_EQ(PeriodShare({0, 0}, {1, 1}), 0);
}

TEST(PaceTest, AStoresWeekMixesItsHistoryAndItsOpeningHours) {
  const int64_t wednesday = *TimeZone::ParseLocalDate("2026-12-02");
  const int64_t monday = wednesday - 2, tuesday = wednesday - 1;
  EXPECT_EQ(WeekdayOf(monday), 0);
  EXPECT_EQ(WeekdayOf(wednesday + 4), 6);  // Sunday
  // History: two Mondays of 1,000 at 10:00, a Tuesday of 3,000 at 12:00; nothing else.
  std::map<int64_t, HourAmounts> history;
  history[monday][10] = 1'000;
  history[monday - 7][10] = 1'000;
  history[tuesday][12] = 3'000;
  // Open 09:00–17:00 but on Sundays.
  const auto open = [&](int64_t day) {
    HourAmounts ms{};
    if (WeekdayOf(day) == 6) return ms;
    for (size_t h = 9; h < 17; ++h) ms[h] = 3'600'000;
    return ms;
  };
  const WeekProfiles week = BuildWeekProfiles(history, wednesday, open);
  EXPECT_EQ(week.profiles[0].basis, "history");
  EXPECT_EQ(week.profiles[0].days, 2);
  EXPECT_EQ(week.profiles[2].basis, "opening_hours");  // no Wednesday yet
  EXPECT_EQ(week.profiles[6].basis, "closed");
  // Weights: Monday 1,000, Tuesday 3,000, the days without history their mean 2,000, Sunday 0.
  EXPECT_DOUBLE_EQ(week.weights[0], 1'000);
  EXPECT_DOUBLE_EQ(week.weights[1], 3'000);
  EXPECT_DOUBLE_EQ(week.weights[2], 2'000);
  EXPECT_DOUBLE_EQ(week.weights[5], 2'000);
  EXPECT_DOUBLE_EQ(week.weights[6], 0);
  // Wednesday 13:00: half of its 8 open hours. The day: 0.5. The week: (1,000 + 3,000 + 2,000 ×
  // 0.5) / (1,000 + 3,000 + 4 × 2,000) = 5,000 / 12,000.
  EXPECT_DOUBLE_EQ(ShareOfPeriod(week, wednesday, wednesday + 1, wednesday, 13 * 60), 0.5);
  EXPECT_DOUBLE_EQ(ShareOfPeriod(week, monday, monday + 7, wednesday, 13 * 60), 5'000.0 / 12'000);
}

}  // namespace
}  // namespace storepulse::common
