// On-track logic (common/targets/target_progress.h) and the current local period of a target
// (common/targets/target_period.h), with figures computed by hand.
#include "common/targets/target_progress.h"

#include <gtest/gtest.h>

#include "common/targets/kpi_traits.h"
#include "common/targets/target_period.h"
#include "common/time_util.h"

namespace storepulse::common {
namespace {

int64_t At(std::string_view rfc3339) { return *ParseRfc3339(rfc3339); }
int64_t Day(std::string_view date) { return *TimeZone::ParseLocalDate(date); }

TEST(KpiTraitsTest, KnowsSumsLevelsAndWhereLowerIsBetter) {
  EXPECT_TRUE(TraitsOf("net_sales").cumulative);
  EXPECT_FALSE(TraitsOf("net_sales").lower_is_better);
  EXPECT_FALSE(TraitsOf("conversion_rate").cumulative);
  EXPECT_TRUE(TraitsOf("conversion_rate").fraction);
  for (const char* lower : {"return_rate", "sfs_stock_cancel_rate", "cc_warehouse_share"}) {
    EXPECT_TRUE(TraitsOf(lower).lower_is_better) << lower;
    EXPECT_TRUE(TraitsOf(lower).fraction) << lower;
  }
  EXPECT_TRUE(TraitsOf("availability").fraction);
  EXPECT_FALSE(TraitsOf("aov").fraction);
  EXPECT_TRUE(KnownKpiNames().count("net_sales"));
  EXPECT_TRUE(KnownKpiNames().count("availability"));
  EXPECT_FALSE(KnownKpiNames().count("key"));
}

// The identified customers' transactions and net sales are sums like any other: a week's target
// of them is met bit by bit through the week, so it is judged pro rata.
TEST(KpiTraitsTest, IdentifiedSalesAccumulateLikeEverySum) {
  EXPECT_TRUE(TraitsOf("identified_transactions").cumulative);
  EXPECT_TRUE(TraitsOf("identified_net_sales").cumulative);
  EXPECT_EQ(JudgeTarget("identified_net_sales", 520'000, 1'000'000, 0.5).status,
            TargetStatus::kOnTrack);
}

// A day target of 10,000.00 (1,000,000 minor units) half-way through the day: 500,000 expected,
// on track within ±5% (±25,000).
TEST(TargetProgressTest, CumulativeKpisAreJudgedProRataToElapsedTime) {
  TargetProgress p = JudgeTarget("net_sales", 520'000, 1'000'000, 0.5);
  EXPECT_DOUBLE_EQ(p.expected, 500'000);
  EXPECT_DOUBLE_EQ(*p.gap, -480'000);           // 520,000 − 1,000,000
  EXPECT_DOUBLE_EQ(*p.gap_pct, -0.48);          // −480,000 / 1,000,000
  EXPECT_EQ(p.status, TargetStatus::kOnTrack);  // 520,000 − 500,000 = 20,000 ≤ 25,000
  EXPECT_EQ(JudgeTarget("net_sales", 530'000, 1'000'000, 0.5).status, TargetStatus::kAhead);
  EXPECT_EQ(JudgeTarget("net_sales", 470'000, 1'000'000, 0.5).status, TargetStatus::kBehind);
  EXPECT_EQ(JudgeTarget("net_sales", 475'000, 1'000'000, 0.5).status, TargetStatus::kOnTrack);
  TargetProgress done = JudgeTarget("net_sales", 1'000'000, 1'000'000, 0.6);
  EXPECT_EQ(done.status, TargetStatus::kAchieved);
  EXPECT_DOUBLE_EQ(*done.gap, 0);
}

TEST(TargetProgressTest, RatesAreJudgedAgainstTheTargetItself) {
  TargetProgress p = JudgeTarget("conversion_rate", 0.24, 0.25, 0.1);
  EXPECT_DOUBLE_EQ(p.expected, 0.25);  // not pro rata
  EXPECT_NEAR(*p.gap, -0.01, 1e-12);
  EXPECT_NEAR(*p.gap_pct, -0.04, 1e-12);
  EXPECT_EQ(p.status, TargetStatus::kOnTrack);  // 0.01 ≤ 0.0125
  EXPECT_EQ(JudgeTarget("conversion_rate", 0.23, 0.25, 0.1).status, TargetStatus::kBehind);
  EXPECT_EQ(JudgeTarget("conversion_rate", 0.27, 0.25, 0.9).status, TargetStatus::kAhead);
}

TEST(TargetProgressTest, WhereLowerIsBetterTheSenseIsReversed) {
  // return_rate target 5%: 6% is behind, 4.9% on track (within 0.25 points), 4% ahead.
  EXPECT_EQ(JudgeTarget("return_rate", 0.06, 0.05, 0.5).status, TargetStatus::kBehind);
  EXPECT_EQ(JudgeTarget("return_rate", 0.049, 0.05, 0.5).status, TargetStatus::kOnTrack);
  EXPECT_EQ(JudgeTarget("return_rate", 0.04, 0.05, 0.5).status, TargetStatus::kAhead);
  EXPECT_EQ(JudgeTarget("cc_warehouse_share", 0.4, 0.3, 0.5).status, TargetStatus::kBehind);
  EXPECT_EQ(JudgeTarget("sfs_stock_cancel_rate", 0.0, 0.02, 0.5).status, TargetStatus::kAhead);
  // shrink: a budget of 100 units a week, a quarter gone: 25 expected.
  EXPECT_EQ(JudgeTarget("shrink_units", 20, 100, 0.25).status, TargetStatus::kAhead);
  EXPECT_EQ(JudgeTarget("shrink_units", 30, 100, 0.25).status, TargetStatus::kBehind);
  EXPECT_EQ(JudgeTarget("shrink_units", 120, 100, 0.25).status, TargetStatus::kMissed);
}

TEST(TargetProgressTest, NothingToJudgeIsNoDataAndAZeroTargetHasNoPercentage) {
  TargetProgress none = JudgeTarget("conversion_rate", std::nullopt, 0.25, 0.5);
  EXPECT_EQ(none.status, TargetStatus::kNoData);
  EXPECT_FALSE(none.gap.has_value());
  TargetProgress zero = JudgeTarget("sfs_stock_cancel_rate", 0.01, 0, 0.5);
  EXPECT_DOUBLE_EQ(*zero.gap, 0.01);
  EXPECT_FALSE(zero.gap_pct.has_value());
  EXPECT_EQ(zero.status, TargetStatus::kBehind);
  EXPECT_EQ(TargetStatusName(TargetStatus::kOnTrack), "on_track");
}

TEST(TargetPeriodTest, WeeksStartOnMondayAndMonthsOnTheFirst) {
  EXPECT_EQ(WeekStart(Day("2026-11-22")), Day("2026-11-16"));  // Sunday → Monday before
  EXPECT_EQ(WeekStart(Day("2026-11-16")), Day("2026-11-16"));
  EXPECT_EQ(WeekStart(Day("1970-01-01")), Day("1969-12-29"));  // a Thursday
  EXPECT_EQ(MonthStart(Day("2026-11-22")), Day("2026-11-01"));
  EXPECT_EQ(NextMonthStart(Day("2026-12-31")), Day("2027-01-01"));
  EXPECT_EQ(NextMonthStart(Day("2028-02-10")), Day("2028-03-01"));
}

TEST(TargetPeriodTest, PeriodsAreLocalAndFollowDst) {
  const TimeZone paris = *TimeZone::Load("Europe/Paris");
  // Monday 2026-10-26 00:30 Paris is still Sunday 23:30 UTC: the week of 26 October.
  LocalPeriod week = CurrentLocalPeriod(TargetPeriod::kWeek, paris, At("2026-10-25T23:30:00Z"));
  EXPECT_EQ(week.first_day, Day("2026-10-26"));
  // The week of 19 October holds the fall-back night: 169 hours.
  LocalPeriod dst = CurrentLocalPeriod(TargetPeriod::kWeek, paris, At("2026-10-21T12:00:00Z"));
  EXPECT_EQ(dst.first_day, Day("2026-10-19"));
  EXPECT_EQ(dst.end_day, Day("2026-10-26"));
  EXPECT_EQ(dst.end_ms - dst.start_ms, 169LL * 3600 * 1000);
  LocalPeriod day = CurrentLocalPeriod(TargetPeriod::kDay, paris, At("2026-11-22T17:00:00Z"));
  EXPECT_EQ(day.start_ms, At("2026-11-21T23:00:00Z"));
  EXPECT_DOUBLE_EQ(day.Elapsed(At("2026-11-22T17:00:00Z")), 0.75);  // 18 of 24 hours
  LocalPeriod month = CurrentLocalPeriod(TargetPeriod::kMonth, paris, At("2026-11-22T17:00:00Z"));
  EXPECT_EQ(month.first_day, Day("2026-11-01"));
  EXPECT_EQ(month.end_day, Day("2026-12-01"));
}

}  // namespace
}  // namespace storepulse::common
