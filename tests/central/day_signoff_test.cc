#include "central/day_signoff.h"

#include <gtest/gtest.h>

#include "central/alert_rules.h"
#include "central/day_store.h"
#include "tests/support/temp_dir.h"

namespace storepulse::central {
namespace {

const common::DayFigures kEdge{
    3, {{"gross_sales", 3399}, {"transactions", 2}}, common::DayIdsHash({"a", "b", "c"})};
const common::DayFigures kShort{
    2, {{"gross_sales", 3000}, {"transactions", 1}}, common::DayIdsHash({"a", "b"})};

TEST(DaySignoffTest, EqualFiguresCertifyTheDay) {
  DayDecision d = DecideDay(std::nullopt, "S1", "2026-12-01", kEdge, kEdge, 1000);
  EXPECT_EQ(d.verdict, "certified");
  EXPECT_EQ(d.record.status, "certified");
  EXPECT_EQ(d.record.certified_ms, 1000);
  EXPECT_EQ(d.record.detail, "");
  EXPECT_FALSE(d.record.resend_requested);
}

// Different: first a resend; still different on the next certificate: differs, naming what.
TEST(DaySignoffTest, ADifferenceAsksForTheDayOnceThenDiffers) {
  DayDecision first = DecideDay(std::nullopt, "S1", "2026-12-01", kEdge, kShort, 1000);
  EXPECT_EQ(first.verdict, "resend");
  EXPECT_EQ(first.record.status, "pending");
  EXPECT_TRUE(first.record.resend_requested);
  DayDecision second = DecideDay(first.record, "S1", "2026-12-01", kEdge, kShort, 2000);
  EXPECT_EQ(second.verdict, "differs");
  EXPECT_EQ(second.record.status, "differs");
  EXPECT_EQ(second.record.detail,
            "events: edge 3, central 2; gross_sales: edge 3399, central 3000; transactions: edge "
            "2, central 1; ids hash");
  EXPECT_EQ(second.record.certified_ms, 0);
  // The resend filled the gap: certified.
  DayDecision fixed = DecideDay(first.record, "S1", "2026-12-01", kEdge, kEdge, 2000);
  EXPECT_EQ(fixed.verdict, "certified");
  EXPECT_EQ(fixed.record.reopened, 0);
}

// A late event changed the edge's figures of a certified day: reopened, then certified again.
TEST(DaySignoffTest, NewEdgeFiguresForACertifiedDayReopenIt) {
  DayDecision certified = DecideDay(std::nullopt, "S1", "2026-12-01", kShort, kShort, 1000);
  DayDecision moved = DecideDay(certified.record, "S1", "2026-12-01", kEdge, kShort, 2000);
  EXPECT_EQ(moved.verdict, "resend");
  EXPECT_EQ(moved.record.status, "reopened");
  EXPECT_EQ(moved.record.reopened, 1);
  EXPECT_EQ(moved.record.reopened_ms, 2000);
  DayDecision again = DecideDay(moved.record, "S1", "2026-12-01", kEdge, kEdge, 3000);
  EXPECT_EQ(again.record.status, "certified");
  EXPECT_EQ(again.record.reopened, 1);
  EXPECT_EQ(again.record.certified_ms, 3000);
  // The same certificate again (an edge restart) re-opens nothing.
  EXPECT_EQ(DecideDay(again.record, "S1", "2026-12-01", kEdge, kEdge, 4000).record.reopened, 1);
}

TEST(DaySignoffTest, TheRecordsSurviveAReopenOfDaysDb) {
  test_support::TempDir dir;
  DayDecision d = DecideDay(std::nullopt, "S1", "2026-12-01", kEdge, kShort, 1000);
  {
    auto store = SqliteDayStore::Open(dir.File("days.db"));
    ASSERT_TRUE(store.ok()) << store.status().message();
    ASSERT_TRUE((*store)->Put(d.record).ok());
    ASSERT_TRUE(
        (*store)->Put(DecideDay(std::nullopt, "S2", "2026-12-02", kEdge, kEdge, 5).record).ok());
  }
  auto store = SqliteDayStore::Open(dir.File("days.db"));
  ASSERT_TRUE(store.ok());
  auto back = (*store)->Get("S1", "2026-12-01");
  ASSERT_TRUE(back.ok());
  ASSERT_TRUE(back->has_value());
  EXPECT_EQ(**back, d.record);
  auto listed = (*store)->List("", "2026-12-02", "");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].store, "S2");
}

TEST(DaySignoffTest, AFleetRowWithADifferingDayRaisesDayDiffers) {
  nlohmann::json fleet = {
      {"stores",
       {{{"store", "S1"},
         {"online", true},
         {"day_signoff",
          {{"last_certified_day", "2026-11-30"},
           {"differs", {{{"day", "2026-12-01"}, {"detail", "events: edge 3, central 2"}}}}}}},
        {{"store", "S2"},
         {"online", true},
         {"day_signoff",
          {{"last_certified_day", "2026-12-01"}, {"differs", nlohmann::json::array()}}}}}}};
  std::vector<Finding> findings = FleetFindings(fleet, AlertThresholds{}, 3600);
  std::vector<Finding> day;
  for (const Finding& f : findings) {
    if (f.kind == "day_differs") day.push_back(f);
  }
  ASSERT_EQ(day.size(), 1u);
  EXPECT_EQ(day[0].id, "day_differs/S1");
  EXPECT_EQ(day[0].severity, "warning");
  EXPECT_NE(day[0].message.find("2026-12-01 (events: edge 3, central 2)"), std::string::npos);
}

}  // namespace
}  // namespace storepulse::central
