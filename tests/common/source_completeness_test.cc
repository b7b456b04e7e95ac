// Each local day's completeness (common/kpi/source_completeness.h): the day rule on hand-computed
// fixtures, then the same through the source rows the fold writes and the KPI answer that carries
// it (by=day, by=total over one day), on a real SQLite file.
#include "common/kpi/source_completeness.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "common/kpi/dimensions.h"
#include "common/kpi/kpi_json.h"
#include "common/kpi/kpi_query.h"
#include "common/store/measure_table.h"
#include "common/time_util.h"
#include "tests/common/folded_store.h"

namespace storepulse::common {
namespace {

const SourceRef kTill1{SourceKind::kTill, "1"};
const SourceRef kTill2{SourceKind::kTill, "2"};
const SourceRef kDoor1{SourceKind::kCounter, "1"};
const SourceRef kDoor2{SourceKind::kCounter, "2"};

TEST(SourceCompletenessTest, ACounterDeadOneDayMakesThatDayIncompleteAndNamesIt) {
  // Days 100–103: till 1 and door counter 1 every day; door counter 2 not on day 102.
  const std::map<int64_t, std::set<SourceRef>> reported = {{100, {kTill1, kDoor1, kDoor2}},
                                                           {101, {kTill1, kDoor1, kDoor2}},
                                                           {102, {kTill1, kDoor1}},
                                                           {103, {kTill1, kDoor1, kDoor2}}};
  const auto days = JudgeDays(reported, 100, 104);
  ASSERT_EQ(days.size(), 4u);
  for (int64_t day : {100, 101, 103}) {
    EXPECT_EQ(days.at(day).known, 3) << day;
    EXPECT_TRUE(days.at(day).missing.empty()) << day;
    EXPECT_EQ(days.at(day).complete(), true) << day;
  }
  EXPECT_EQ(days.at(102).known, 3);
  EXPECT_EQ(days.at(102).missing, std::vector<SourceRef>{kDoor2});
  EXPECT_EQ(days.at(102).complete(), false);
}

TEST(SourceCompletenessTest, ANewTillIsNotMissingOnTheDaysBeforeItWasKnown) {
  // Till 2 is installed on day 103: the days before it do not miss it; from then on it counts.
  const std::map<int64_t, std::set<SourceRef>> reported = {{101, {kTill1, kDoor1}},
                                                           {102, {kTill1, kDoor1}},
                                                           {103, {kTill1, kTill2, kDoor1}},
                                                           {104, {kTill1, kDoor1}}};
  const auto days = JudgeDays(reported, 101, 105);
  EXPECT_EQ(days.at(101).known, 2);
  EXPECT_EQ(days.at(101).complete(), true);
  EXPECT_EQ(days.at(102).known, 2);
  EXPECT_EQ(days.at(102).complete(), true);
  EXPECT_EQ(days.at(103).known, 3);
  EXPECT_EQ(days.at(103).complete(), true);
  EXPECT_EQ(days.at(104).known, 3);  // known since 103, silent on 104
  EXPECT_EQ(days.at(104).missing, std::vector<SourceRef>{kTill2});
}

TEST(SourceCompletenessTest, ASourceThatStopsIsMissingForSevenDaysThenForgotten) {
  std::map<int64_t, std::set<SourceRef>> reported;
  for (int64_t day = 100; day < 120; ++day) reported[day] = {kTill1};
  reported[100].insert(kDoor1);  // door counter 1 last reports on day 100
  const auto days = JudgeDays(reported, 100, 110);
  EXPECT_EQ(days.at(100).complete(), true);
  for (int64_t day = 101; day <= 107; ++day) {  // 100 is among the 7 days before each of these
    EXPECT_EQ(days.at(day).missing, std::vector<SourceRef>{kDoor1}) << day;
  }
  EXPECT_EQ(days.at(108).known, 1);
  EXPECT_EQ(days.at(108).complete(), true);
}

TEST(SourceCompletenessTest, MissingSourcesAreListedByKindThenIdAndNothingKnownIsNoVerdict) {
  const std::map<int64_t, std::set<SourceRef>> reported = {{100, {kDoor2, kTill2, kDoor1}}};
  const auto days = JudgeDays(reported, 99, 102);
  EXPECT_EQ(days.at(99).known, 0);
  EXPECT_EQ(days.at(99).complete(), std::nullopt);
  EXPECT_EQ(days.at(101).missing, (std::vector<SourceRef>{kTill2, kDoor1, kDoor2}));
  EXPECT_EQ(CompletenessJson(days.at(101))["missing"][1],
            (nlohmann::json{{"kind", "counter"}, {"id", "1"}, {"label", "door counter 1"}}));
  EXPECT_EQ(CompletenessJson(days.at(99))["complete"], nullptr);
}

Event Sale(const std::string& id, const std::string& till, const char* ts) {
  Event e;
  e.id = id;
  e.type = EventType::kSale;
  e.ts_ms = *ParseRfc3339(ts);
  e.txn = id;
  e.till = till;
  e.lines = {{"X", 1, 1000, 0}};
  return e;
}

Event Footfall(const std::string& id, const std::string& sensor, const char* ts, int64_t in) {
  Event e;
  e.id = id;
  e.type = EventType::kFootfall;
  e.ts_ms = *ParseRfc3339(ts);
  e.sensor = sensor;
  e.period_s = 900;
  e.in = in;
  return e;
}

using CompletenessQueryTest = FoldedStoreTest;

// Paris is UTC+1 in December: 2026-12-03T23:30Z is already the 4th locally.
TEST_F(CompletenessQueryTest, DayRowsCarryCompletenessBesideConversion) {
  Store({Sale("a", "1", "2026-12-02T10:00:00Z"), Footfall("f1", "1", "2026-12-02T10:00:00Z", 10),
         Footfall("f2", "2", "2026-12-02T10:00:00Z", 0),  // an empty interval: it reported
         Sale("b", "1", "2026-12-03T10:00:00Z"), Footfall("f3", "1", "2026-12-03T10:00:00Z", 8),
         Sale("c", "1", "2026-12-03T23:30:00Z"), Footfall("f4", "1", "2026-12-03T23:30:00Z", 4),
         Footfall("f5", "2", "2026-12-03T23:45:00Z", 5)});
  nlohmann::json rows = Query(GroupBy::kDay, "2026-12-02", "2026-12-05")["rows"];
  ASSERT_EQ(rows.size(), 3u) << rows.dump(2);
  EXPECT_EQ(rows[0]["key"], "2026-12-02");
  EXPECT_EQ(rows[0]["completeness"],
            (nlohmann::json{{"complete", true}, {"known", 3}, {"missing", nlohmann::json::array()}}));
  EXPECT_EQ(rows[1]["key"], "2026-12-03");
  EXPECT_EQ(rows[1]["conversion_rate"], 1.0 / 8);
  EXPECT_EQ(rows[1]["completeness"]["complete"], false);
  EXPECT_EQ(rows[1]["completeness"]["missing"],
            (nlohmann::json{{{"kind", "counter"}, {"id", "2"}, {"label", "door counter 2"}}}));
  EXPECT_EQ(rows[2]["key"], "2026-12-04");
  EXPECT_EQ(rows[2]["completeness"]["complete"], true);
}

TEST_F(CompletenessQueryTest, OneWholeDayCarriesItAndOtherPeriodsDoNot) {
  Store({Sale("a", "1", "2026-12-02T10:00:00Z"), Footfall("f1", "1", "2026-12-02T10:00:00Z", 10),
         Sale("b", "1", "2026-12-03T10:00:00Z")});
  nlohmann::json day = Query(GroupBy::kTotal, "2026-12-03", "2026-12-04")["rows"][0];
  EXPECT_EQ(day["completeness"]["missing"],
            (nlohmann::json{{{"kind", "counter"}, {"id", "1"}, {"label", "door counter 1"}}}));
  EXPECT_FALSE(Query(GroupBy::kTotal, "2026-12-02", "2026-12-04")["rows"][0].contains(
      "completeness"));
  EXPECT_FALSE(Query(GroupBy::kTotal, "2026-12-03T08:00:00Z", "2026-12-03T12:00:00Z")["rows"][0]
                   .contains("completeness"));
  EXPECT_FALSE(Query(GroupBy::kChannel, "2026-12-03", "2026-12-04")["rows"][0].contains(
      "completeness"));
}

TEST_F(CompletenessQueryTest, SourceRowsAreKeptPerDayOnlyAndSurviveADayRebuild) {
  Store({Sale("a", "1", "2026-12-02T10:00:00Z"), Footfall("f1", "1", "2026-12-02T10:00:00Z", 10)});
  SQLite::Statement in_15m(db_, "SELECT COUNT(*) FROM dims_15m WHERE dim = 3");
  ASSERT_TRUE(in_15m.executeStep());
  EXPECT_EQ(in_15m.getColumn(0).getInt(), 0);
  MeasureWriter writer(db_);
  ASSERT_TRUE(writer.RebuildDays("S1", zone_).ok());
  SQLite::Statement keys(db_, "SELECT key FROM dims_day WHERE dim = 3 ORDER BY key");
  std::vector<std::string> found;
  while (keys.executeStep()) found.push_back(keys.getColumn(0).getString());
  EXPECT_EQ(found, (std::vector<std::string>{"counter:1", "till:1"}));
}

}  // namespace
}  // namespace storepulse::common
