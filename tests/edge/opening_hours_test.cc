// --opening-hours (edge/opening_hours.h): the parser's errors, and open time counted in the
// store's zone — closed days, ranges past midnight, a night the clocks change — against figures
// worked out by hand. 2026-12-04 is a Friday; Paris is UTC+1 in December.
#include "edge/opening_hours.h"

#include <gtest/gtest.h>

#include "common/time_util.h"

namespace storepulse::edge {
namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;

int64_t At(const char* rfc3339) { return *common::ParseRfc3339(rfc3339); }

std::string ErrorOf(std::string_view text) {
  auto hours = OpeningHours::Parse(text);
  EXPECT_FALSE(hours.ok()) << text;
  return hours.ok() ? "" : hours.status().message();
}

class OpeningHoursTest : public ::testing::Test {
 protected:
  OpeningHours Hours(std::string_view text) {
    auto hours = OpeningHours::Parse(text);
    EXPECT_TRUE(hours.ok()) << hours.status().message();
    return hours.ok() ? *hours : OpeningHours();
  }
  int64_t Open(const OpeningHours& hours, const char* from, const char* to) {
    return hours.OpenMsBetween(At(from), At(to), paris_);
  }
  common::TimeZone paris_ = *common::TimeZone::Load("Europe/Paris");
};

TEST_F(OpeningHoursTest, RefusesWhatItCannotReadAndSaysWhere) {
  EXPECT_NE(ErrorOf("mon-fry 09:00-19:00").find("\"fry\" is not a day"), std::string::npos);
  EXPECT_NE(ErrorOf("mon 9-17").find("is not a time HH:MM"), std::string::npos);
  EXPECT_NE(ErrorOf("mon 09:00").find("\"09:00\" is not a range"), std::string::npos);
  EXPECT_NE(ErrorOf("mon 09:60-10:00").find("\"09:60\" is not a time"), std::string::npos);
  EXPECT_NE(ErrorOf("mon 09:00-09:00").find("is empty; a whole day is 00:00-24:00"),
            std::string::npos);
  EXPECT_NE(ErrorOf("mon 24:00-02:00").find("24:00 may only end a range"), std::string::npos);
  EXPECT_NE(ErrorOf("mon-fri 09:00-19:00; fri 10:00-12:00").find("fri is named twice"),
            std::string::npos);
  EXPECT_NE(ErrorOf("09:00-19:00").find("no day before the hours"), std::string::npos);
  EXPECT_NE(ErrorOf("mon").find("no hours in \"mon\""), std::string::npos);
  EXPECT_NE(ErrorOf("sat 10:00-18:00; sunday closed").find("\"sunday\" is not a day"),
            std::string::npos);
}

// A time with two colons passed the shape check and std::stoi threw on ":0": --opening-hours
// "Mon-Fri 05::0-19:00" ended the edge with "stoi" instead of saying what is wrong (found by
// tests/fuzz/daemon_config_fuzzer).
TEST_F(OpeningHoursTest, ATimeWithTwoColonsIsRefusedNotThrown) {
  for (const char* text : {"Mon-Fri 05::0-19:00", "Mon 9:00-19::0", "Sat ::00-10:00"}) {
    common::StatusOr<OpeningHours> hours = common::InvalidArgument("not parsed");
    EXPECT_NO_THROW(hours = OpeningHours::Parse(text)) << text;
    EXPECT_FALSE(hours.ok()) << text;
  }
}

TEST_F(OpeningHoursTest, EmptyIsAlwaysOpenAndSpacingCaseAndTrailingSemicolonsDoNotMatter) {
  EXPECT_TRUE(Hours("").always_open());
  EXPECT_TRUE(Hours("  ").always_open());
  EXPECT_EQ(Open(Hours(""), "2026-12-06T00:00:00Z", "2026-12-07T00:00:00Z"), 24 * kHour);
  const OpeningHours a = Hours("mon-fri 09:00-19:00; sat 10:00-18:00");
  const OpeningHours b = Hours(" MON - Fri  9:00 - 19:00 ;sat 10:00-18:00; sun closed; ");
  EXPECT_FALSE(a.always_open());
  for (const char* to : {"2026-12-05T12:00:00Z", "2026-12-08T00:00:00Z"}) {
    EXPECT_EQ(Open(a, "2026-12-04T00:00:00Z", to), Open(b, "2026-12-04T00:00:00Z", to)) << to;
  }
}

TEST_F(OpeningHoursTest, CountsOnlyOpenTimeAndDaysNotNamedAreClosed) {
  const OpeningHours hours = Hours("mon-fri 09:00-19:00; sat 10:00-18:00");
  // Friday 18:00 local (17:00Z) to Monday 09:30 local: Friday 1 h, Saturday 8 h, Sunday closed,
  // Monday 30 min.
  EXPECT_EQ(Open(hours, "2026-12-04T17:00:00Z", "2026-12-07T08:30:00Z"), 9 * kHour + 30 * kMinute);
  EXPECT_EQ(Open(hours, "2026-12-06T00:00:00Z", "2026-12-06T23:00:00Z"), 0);  // Sunday
  EXPECT_EQ(Open(hours, "2026-12-04T20:00:00Z", "2026-12-04T10:00:00Z"), 0);  // backwards
}

TEST_F(OpeningHoursTest, ARangePastMidnightBelongsToTheDayItStartsOn) {
  const OpeningHours hours = Hours("fri 20:00-02:00");
  // Friday 20:00 local to Saturday 02:00 local, although Saturday is not named.
  EXPECT_EQ(Open(hours, "2026-12-04T00:00:00Z", "2026-12-06T00:00:00Z"), 6 * kHour);
  // From Saturday 00:00 local (Friday 23:00Z): the last two hours of Friday's range.
  EXPECT_EQ(Open(hours, "2026-12-04T23:00:00Z", "2026-12-06T00:00:00Z"), 2 * kHour);
  // A Thursday range past midnight and Friday's own hours overlap once, not twice.
  const OpeningHours overlap = Hours("thu 22:00-03:00; fri 01:00-04:00");
  EXPECT_EQ(Open(overlap, "2026-12-03T00:00:00Z", "2026-12-05T00:00:00Z"), 6 * kHour);
}

TEST_F(OpeningHoursTest, ADayTheClocksGoForwardHasTwentyThreeHours) {
  // 2026-03-29, a Sunday: Paris goes from 02:00 to 03:00 (UTC+1 → UTC+2).
  const OpeningHours hours = Hours("sun 00:00-24:00");
  EXPECT_EQ(Open(hours, "2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z"), 23 * kHour);
}

TEST_F(OpeningHoursTest, FindsWhenAnAmountOfOpenTimeIsReached) {
  const OpeningHours hours = Hours("mon-fri 09:00-19:00; sat 10:00-18:00");
  // From Friday 18:00 local: 30 open minutes end at 18:30 local (17:30Z).
  EXPECT_EQ(hours.InstantAfterOpen(At("2026-12-04T17:00:00Z"), 30 * kMinute,
                                   At("2026-12-10T00:00:00Z"), paris_),
            At("2026-12-04T17:30:00Z"));
  // From Friday 18:45 local: 15 minutes on Friday, 15 more from Saturday 10:00 → 10:15 (09:15Z).
  EXPECT_EQ(hours.InstantAfterOpen(At("2026-12-04T17:45:00Z"), 30 * kMinute,
                                   At("2026-12-10T00:00:00Z"), paris_),
            At("2026-12-05T09:15:00Z"));
  // Not before the limit.
  EXPECT_EQ(hours.InstantAfterOpen(At("2026-12-04T17:45:00Z"), 30 * kMinute,
                                   At("2026-12-05T09:00:00Z"), paris_),
            std::nullopt);
}

}  // namespace
}  // namespace storepulse::edge
