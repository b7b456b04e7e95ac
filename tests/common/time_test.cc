// RFC 3339 instants and the local calendar of a store's time zone (common/time_util.h,
// common/time_zone.h), with the DST days that make a local day 23 or 25 hours long.
#include <gtest/gtest.h>

#include <string>

#include "common/time_util.h"
#include "common/time_zone.h"

namespace storepulse::common {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;

int64_t Instant(std::string_view text) {
  StatusOr<int64_t> ms = ParseRfc3339(text);
  EXPECT_TRUE(ms.ok()) << text << ": " << ms.status().ToString();
  return ms.ok() ? *ms : 0;
}

int64_t Day(std::string_view text) {
  StatusOr<int64_t> day = TimeZone::ParseLocalDate(text);
  EXPECT_TRUE(day.ok()) << text << ": " << day.status().ToString();
  return day.ok() ? *day : 0;
}

TimeZone Zone(std::string_view name) {
  StatusOr<TimeZone> zone = TimeZone::Load(name);
  EXPECT_TRUE(zone.ok()) << zone.status().ToString();
  return std::move(zone).value();
}

TEST(Rfc3339Test, ParsesUtcInstants) {
  EXPECT_EQ(Instant("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(Instant("2026-11-22T10:15:00Z"), 1795342500000);
  EXPECT_EQ(Instant("1969-12-31T23:59:59Z"), -1000);
}

TEST(Rfc3339Test, AcceptsLowerCaseSeparators) {
  EXPECT_EQ(Instant("2026-11-22t10:15:00z"), 1795342500000);
}

TEST(Rfc3339Test, AppliesAnyOffset) {
  EXPECT_EQ(Instant("2026-11-22T11:15:00+01:00"), 1795342500000);
  EXPECT_EQ(Instant("2026-11-22T05:15:00-05:00"), 1795342500000);
  EXPECT_EQ(Instant("2026-11-22T15:45:00+05:30"), 1795342500000);
  EXPECT_EQ(Instant("2026-11-22T10:15:00+00:00"), 1795342500000);
  EXPECT_EQ(Instant("2026-11-22T10:15:00-00:00"), 1795342500000);
}

TEST(Rfc3339Test, KeepsMillisecondFractions) {
  EXPECT_EQ(Instant("2026-11-22T10:15:00.250Z"), 1795342500250);
  EXPECT_EQ(Instant("2026-11-22T11:15:00.250+01:00"), 1795342500250);
  EXPECT_EQ(Instant("2026-11-22T10:15:00.5Z"), 1795342500500);
  EXPECT_EQ(Instant("1969-12-31T23:59:59.750Z"), -250);
}

TEST(Rfc3339Test, TruncatesFinerFractionsToMilliseconds) {
  // Python's isoformat() sends microseconds; RFC 3339 allows any number of digits.
  EXPECT_EQ(Instant("2026-11-22T10:15:00.123456+00:00"), 1795342500123);
  EXPECT_EQ(Instant("2026-11-22T10:15:00.999999999Z"), 1795342500999);
}

TEST(Rfc3339Test, RejectsGarbage) {
  for (std::string_view bad :
       {"",
        "garbage",
        "2026-11-22",
        "2026-11-22T10:15:00",
        "2026-11-22T10:15Z",
        "2026-11-22T10:15:00Zjunk",
        "2026-11-22T10:15:00+01",
        "2026-11-22T10:15:00+0100",
        "2026-11-22T10:15:00+01:0",
        "2026-11-22T10:15:00+24:00",
        "2026-11-22T10:15:00.Z",
        "2026-11-22T10:15:00.1234567890Z",
        "2026-11-22T10:15:60Z",
        "2026-11-22T10:60:00Z",
        "2026-11-22T1:15:00Z",
        "2026-11-22 10:15:00Z",
        "2026-13-01T00:00:00Z",
        "2026-02-30T00:00:00Z",
        "2026-11-22T25:00:00Z",
        "2026-11-22T10:15:00 Z",
        "1795342500000",
        "-2026-11-22T10:15:00Z",
        "2026-11-22T10:15:00.000000000000000000000000000000000000000000000000Z",
        "2026-11-22T10:15:00Z\n"}) {
    StatusOr<int64_t> ms = ParseRfc3339(bad);
    EXPECT_FALSE(ms.ok()) << "accepted \"" << bad << "\"";
    if (!ms.ok()) {
      EXPECT_EQ(ms.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(ms.status().message().find("not an RFC 3339 timestamp"), std::string::npos);
    }
  }
}

TEST(Rfc3339Test, FormatsUtcWithMillisecondsAndRoundTrips) {
  EXPECT_EQ(FormatRfc3339Utc(1795342500250), "2026-11-22T10:15:00.250Z");
  EXPECT_EQ(FormatRfc3339Utc(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(Instant(FormatRfc3339Utc(1795342512345)), 1795342512345);
}

TEST(TimeZoneTest, LoadsIanaNamesAndKeepsTheName) {
  EXPECT_EQ(Zone("Europe/Paris").name(), "Europe/Paris");
  EXPECT_EQ(Zone("UTC").name(), "UTC");
}

TEST(TimeZoneTest, UnknownZoneIsNotFoundWithTheName) {
  for (std::string_view bad : {"Europe/Atlantis", "", "paris", "../../etc/passwd"}) {
    StatusOr<TimeZone> zone = TimeZone::Load(bad);
    ASSERT_FALSE(zone.ok()) << bad;
    EXPECT_EQ(zone.status().code(), StatusCode::kNotFound);
    EXPECT_EQ(zone.status().message(),
              "unknown time zone \"" + std::string(bad) + "\" (an IANA name such as Europe/Paris)");
  }
}

TEST(TimeZoneTest, ParisSpringForwardDayLasts23Hours) {
  const TimeZone paris = Zone("Europe/Paris");
  const int64_t day = Day("2026-03-29");
  EXPECT_EQ(paris.LocalDayStartMs(day), Instant("2026-03-28T23:00:00Z"));
  EXPECT_EQ(paris.LocalDayStartMs(day + 1) - paris.LocalDayStartMs(day), 23 * kHourMs);
  // 01:30 local (+01:00) and 03:30 local (+02:00) are the same local day.
  EXPECT_EQ(paris.LocalDayOf(Instant("2026-03-29T01:30:00+01:00")), day);
  EXPECT_EQ(paris.LocalDayOf(Instant("2026-03-29T03:30:00+02:00")), day);
  EXPECT_EQ(paris.LocalDayOf(Instant("2026-03-29T23:59:59+02:00")), day);
  EXPECT_EQ(paris.LocalDayOf(Instant("2026-03-30T00:00:00+02:00")), day + 1);
}

TEST(TimeZoneTest, ParisFallBackDayLasts25Hours) {
  const TimeZone paris = Zone("Europe/Paris");
  const int64_t day = Day("2026-10-25");
  EXPECT_EQ(paris.LocalDayStartMs(day), Instant("2026-10-24T22:00:00Z"));
  EXPECT_EQ(paris.LocalDayStartMs(day + 1) - paris.LocalDayStartMs(day), 25 * kHourMs);
  EXPECT_EQ(paris.LocalDayOf(Instant("2026-10-25T02:30:00+02:00")), day);
  EXPECT_EQ(paris.LocalDayOf(Instant("2026-10-25T02:30:00+01:00")), day);
}

TEST(TimeZoneTest, OrdinaryDayLasts24Hours) {
  const TimeZone paris = Zone("Europe/Paris");
  const int64_t day = Day("2026-11-22");
  EXPECT_EQ(paris.LocalDayStartMs(day + 1) - paris.LocalDayStartMs(day), 24 * kHourMs);
}

TEST(TimeZoneTest, KolkataDayStartsAt1830UtcTheDayBefore) {
  const TimeZone kolkata = Zone("Asia/Kolkata");
  const int64_t day = Day("2026-11-22");
  EXPECT_EQ(kolkata.LocalDayStartMs(day), Instant("2026-11-21T18:30:00Z"));
  EXPECT_EQ(kolkata.LocalDayOf(Instant("2026-11-21T18:29:59Z")), day - 1);
  EXPECT_EQ(kolkata.LocalDayOf(Instant("2026-11-21T18:30:00Z")), day);
}

TEST(TimeZoneTest, SkippedMidnightStartsTheDayAtTheTransition) {
  // Santiago springs forward at local midnight: 2026-09-06 begins at 01:00 -03:00.
  const TimeZone santiago = Zone("America/Santiago");
  const int64_t day = Day("2026-09-06");
  EXPECT_EQ(santiago.LocalDayStartMs(day), Instant("2026-09-06T01:00:00-03:00"));
  EXPECT_EQ(santiago.LocalDayOf(santiago.LocalDayStartMs(day)), day);
  EXPECT_EQ(santiago.LocalDayStartMs(day + 1) - santiago.LocalDayStartMs(day), 23 * kHourMs);
}

TEST(TimeZoneTest, AmbiguousMidnightStartsTheDayAtItsFirstOccurrence) {
  // Havana falls back from 01:00 to 00:00 on 2026-11-01: midnight happens twice.
  const TimeZone havana = Zone("America/Havana");
  const int64_t day = Day("2026-11-01");
  EXPECT_EQ(havana.LocalDayStartMs(day), Instant("2026-11-01T00:00:00-04:00"));
  EXPECT_EQ(havana.LocalDayStartMs(day + 1) - havana.LocalDayStartMs(day), 25 * kHourMs);
}

TEST(TimeZoneTest, FormatsLocalTimeWithItsOffset) {
  const TimeZone paris = Zone("Europe/Paris");
  EXPECT_EQ(paris.FormatLocal(Instant("2026-03-29T01:00:00Z")), "2026-03-29T03:00:00+02:00");
  EXPECT_EQ(paris.FormatLocal(Instant("2026-03-29T00:59:59Z")), "2026-03-29T01:59:59+01:00");
  EXPECT_EQ(paris.FormatLocal(Instant("2026-10-25T00:30:00Z")), "2026-10-25T02:30:00+02:00");
  EXPECT_EQ(paris.FormatLocal(Instant("2026-10-25T01:30:00Z")), "2026-10-25T02:30:00+01:00");
  EXPECT_EQ(Zone("Asia/Kolkata").FormatLocal(Instant("2026-11-22T10:00:00Z")),
            "2026-11-22T15:30:00+05:30");
  EXPECT_EQ(Zone("America/New_York").FormatLocal(Instant("2026-11-22T10:00:00Z")),
            "2026-11-22T05:00:00-05:00");
  EXPECT_EQ(Zone("America/St_Johns").FormatLocal(Instant("2026-11-22T10:00:00Z")),
            "2026-11-22T06:30:00-03:30");
  EXPECT_EQ(Zone("UTC").FormatLocal(Instant("2026-11-22T10:00:00.999Z")),
            "2026-11-22T10:00:00+00:00");
}

TEST(TimeZoneTest, LocalHourStartFollowsTheZoneNotUtc) {
  const TimeZone kolkata = Zone("Asia/Kolkata");
  EXPECT_EQ(kolkata.LocalHourStartMs(Instant("2026-11-22T10:15:00+05:30")),
            Instant("2026-11-22T10:00:00+05:30"));
  EXPECT_EQ(Zone("Asia/Kathmandu").LocalHourStartMs(Instant("2026-11-22T10:59:00+05:45")),
            Instant("2026-11-22T10:00:00+05:45"));
  const TimeZone paris = Zone("Europe/Paris");
  const int64_t first = paris.LocalHourStartMs(Instant("2026-10-25T02:45:00+02:00"));
  const int64_t second = paris.LocalHourStartMs(Instant("2026-10-25T02:45:00+01:00"));
  EXPECT_EQ(first, Instant("2026-10-25T02:00:00+02:00"));
  EXPECT_EQ(second, Instant("2026-10-25T02:00:00+01:00"));
  EXPECT_EQ(second - first, kHourMs);
  EXPECT_EQ(paris.LocalHourStartMs(Instant("1969-12-31T23:30:00Z")),
            Instant("1969-12-31T23:00:00Z"));
}

TEST(TimeZoneTest, FormatsAndParsesLocalDates) {
  EXPECT_EQ(Day("1970-01-01"), 0);
  EXPECT_EQ(Day("2026-11-22"), 20779);
  EXPECT_EQ(Day("1969-12-31"), -1);
  EXPECT_EQ(Day("2024-02-29"), 19782);
  EXPECT_EQ(TimeZone::FormatLocalDate(20779), "2026-11-22");
  EXPECT_EQ(TimeZone::FormatLocalDate(-1), "1969-12-31");
  EXPECT_EQ(TimeZone::FormatLocalDate(Day("2024-02-29")), "2024-02-29");
}

TEST(TimeZoneTest, ParseLocalDateIsStrict) {
  for (std::string_view bad :
       {"", "2026-11-2", "2026-11-222", "2026/11/22", "26-11-22", "2026-1-022",
        "2026-11-22T00:00:00Z", "+026-11-22", "2026-02-29", "2026-13-01", "2026-00-10",
        "2026-11-00", "2026-04-31", " 2026-11-2"}) {
    StatusOr<int64_t> day = TimeZone::ParseLocalDate(bad);
    EXPECT_FALSE(day.ok()) << "accepted \"" << bad << "\"";
    if (!day.ok()) {
      EXPECT_EQ(day.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(day.status().message().find(std::string(bad)), std::string::npos);
    }
  }
}

TEST(TimeZoneTest, IsCopyableAndSharesTheZone) {
  const TimeZone paris = Zone("Europe/Paris");
  const TimeZone copy = paris;
  EXPECT_EQ(copy.LocalDayStartMs(Day("2026-03-29")), paris.LocalDayStartMs(Day("2026-03-29")));
}

TEST(TimeTest, FakeClockIsSetByHand) {
  FakeClock clock(42);
  EXPECT_EQ(clock.NowMs(), 42);
  clock.Set(7);
  EXPECT_EQ(clock.NowMs(), 7);
  EXPECT_GT(SystemClock().NowMs(), Instant("2020-01-01T00:00:00Z"));
}

}  // namespace
}  // namespace storepulse::common
