// Reading sources' text values exactly: decimal money, local and offset timestamps, stable ids.
#include "edge/connectors/source_values.h"

#include <gtest/gtest.h>

#include "common/time_zone.h"
#include "edge/connectors/event_ids.h"

namespace storepulse::edge {
namespace {

TEST(ParseDecimalTest, ReadsMoneyExactlyInMinorUnits) {
  EXPECT_EQ(*ParseDecimal("12.50", 2), 1250);
  EXPECT_EQ(*ParseDecimal("12.5", 2), 1250);
  EXPECT_EQ(*ParseDecimal("12", 2), 1200);
  EXPECT_EQ(*ParseDecimal("0.07", 2), 7);
  EXPECT_EQ(*ParseDecimal(".5", 2), 50);
  EXPECT_EQ(*ParseDecimal("-3.10", 2), -310);
  EXPECT_EQ(*ParseDecimal("+3", 2), 300);
  EXPECT_EQ(*ParseDecimal("12.500", 2), 1250);  // trailing zeros beyond the minor unit are exact
  EXPECT_EQ(*ParseDecimal("1250", 0), 1250);    // JPY
  EXPECT_EQ(*ParseDecimal("1,25", 2, ','), 125);
  EXPECT_EQ(*ParseDecimal("19.99", 2), 1999);  // 19.99 is not exact in binary; here it is
}

TEST(ParseDecimalTest, RefusesWhatWouldNeedRoundingOrIsNotANumber) {
  EXPECT_EQ(ParseDecimal("12.505", 2).status().message(),
            "\"12.505\" has more than 2 decimal places (the currency's minor unit)");
  for (const char* bad : {"", "-", ".", "1.2.3", "1e3", "12,50", " 12", "12 ", "abc", "0x10"}) {
    EXPECT_FALSE(ParseDecimal(bad, 2).ok()) << bad;
  }
  EXPECT_FALSE(ParseDecimal("12345678901234567.89", 2).ok());  // 19 digits: over int64's room
  EXPECT_EQ(*ParseDecimal("1234567890123456.78", 2), 123456789012345678);
}

TEST(ParseSourceTimeTest, ReadsLocalTimesInTheStoresZoneAndOffsetsAsGiven) {
  auto paris = *common::TimeZone::Load("Europe/Paris");
  // 2026-12-04 is winter time in Paris: UTC+1. 2026-12-04T09:15:00Z = 1796375700000 ms.
  EXPECT_EQ(*ParseSourceTime("2026-12-04T10:15:00", paris), 1796375700000);
  EXPECT_EQ(*ParseSourceTime("2026-12-04 10:15", paris), 1796375700000);
  EXPECT_EQ(*ParseSourceTime("2026-12-04 10:15:00.250", paris), 1796375700250);
  EXPECT_EQ(*ParseSourceTime("2026-12-04T09:15:00Z", paris), 1796375700000);
  EXPECT_EQ(*ParseSourceTime("2026-12-04T04:15:00-05:00", paris), 1796375700000);
  EXPECT_EQ(*ParseSourceTime("2026-12-04T10:15+01:00", paris), 1796375700000);
  // Spring forward in Paris, 2026-03-29: 02:30 does not exist; it reads as 03:00 (01:00Z).
  EXPECT_EQ(*ParseSourceTime("2026-03-29T02:30:00", paris), 1774746000000);
  // Fall back, 2026-10-25: 02:30 happens twice; the first (00:30Z) is taken.
  EXPECT_EQ(*ParseSourceTime("2026-10-25T02:30:00", paris), 1792888200000);
  for (const char* bad : {"2026-12-04", "10:15", "2026-13-04T10:15", "2026-12-04T25:00",
                          "2026-12-04T10:15:00x", "04/12/2026 10:15"}) {
    EXPECT_FALSE(ParseSourceTime(bad, paris).ok()) << bad;
  }
}

TEST(StableEventIdTest, SameSourceIdsGiveTheSameIdAndDistinctOnesDistinctIds) {
  EXPECT_EQ(StableEventId("poslog", {"S1", "3", "2026-12-04", "1042"}),
            "poslog:S1:3:2026-12-04:1042");
  EXPECT_NE(StableEventId("x", {"a:b", "c"}), StableEventId("x", {"a", "b:c"}));
  EXPECT_EQ(StableEventId("x", {"a:b"}), "x:a%3Ab");
  const std::string long_part(80, 'z');
  const std::string hashed = StableEventId("shopify", {long_part});
  EXPECT_EQ(hashed.size(), std::string("shopify:").size() + 32);
  EXPECT_EQ(hashed, StableEventId("shopify", {long_part}));
  EXPECT_NE(hashed, StableEventId("shopify", {long_part + "y"}));
}

}  // namespace
}  // namespace storepulse::edge
