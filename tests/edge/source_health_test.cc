// Source health at the edge: the registry learns tills and counters from the events that arrive
// (edge/source_registry.h), keeps them across a restart, forgets them after a week; the silence
// rule (edge/source_health.h) counts only opening hours. Times worked out by hand; 2026-12-07 is a
// Monday, Paris UTC+1.
#include "edge/source_health.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/time_util.h"
#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

using common::SourceKind;
using common::SourceRef;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kDay = 86'400'000;

int64_t At(const char* rfc3339) { return *common::ParseRfc3339(rfc3339); }

common::Event Sale(const std::string& till, int64_t ts, common::EventType type =
                                                            common::EventType::kSale) {
  common::Event e;
  e.id = "e" + std::to_string(ts);
  e.type = type;
  e.ts_ms = ts;
  e.till = till;
  return e;
}

common::Event Footfall(const std::string& sensor, int64_t ts) {
  common::Event e;
  e.id = "f" + std::to_string(ts);
  e.type = common::EventType::kFootfall;
  e.ts_ms = ts;
  e.sensor = sensor;
  return e;
}

class SourceRegistryTest : public ::testing::Test {
 protected:
  test_support::TempDir dir_;
  common::FakeClock clock_{At("2026-12-07T10:00:00Z")};
};

TEST_F(SourceRegistryTest, LearnsTillsAndCountersFromWhatArrives) {
  SourceRegistry registry(dir_.path(), clock_);
  const int64_t arrival = At("2026-12-07T10:00:00Z");
  common::Event stock;
  stock.type = common::EventType::kStock;
  registry.Observe({Sale("1", arrival - 10 * kMinute), Footfall("door 2", arrival - 15 * kMinute),
                    Sale("1", arrival - 5 * kMinute, common::EventType::kReturn),
                    Sale("", arrival),  // a web order names no till
                    stock},
                   arrival);
  registry.Observe({Sale("1", arrival - 20 * kMinute)}, arrival + kMinute);
  const std::vector<SourceRecord> known = registry.Snapshot(arrival + kMinute);
  ASSERT_EQ(known.size(), 2u);
  EXPECT_EQ(known[0], (SourceRecord{{SourceKind::kTill, "1"}, arrival, arrival + kMinute,
                                    arrival - 5 * kMinute}));
  EXPECT_EQ(known[1], (SourceRecord{{SourceKind::kCounter, "door 2"}, arrival, arrival,
                                    arrival - 15 * kMinute}));
}

TEST_F(SourceRegistryTest, OldEventsDoNotMakeASourceLiveAndAWeekOfSilenceForgetsIt) {
  SourceRegistry registry(dir_.path(), clock_);
  const int64_t arrival = At("2026-12-07T10:00:00Z");
  // Last month's export of a retired counter, imported today.
  registry.Observe({Footfall("old", arrival - 30 * kDay)}, arrival);
  registry.Observe({Footfall("door 1", arrival - kMinute)}, arrival);
  ASSERT_EQ(registry.Snapshot(arrival).size(), 1u);
  EXPECT_EQ(registry.Snapshot(arrival)[0].source.id, "door 1");
  EXPECT_EQ(registry.Snapshot(arrival + 7 * kDay).size(), 1u);
  EXPECT_TRUE(registry.Snapshot(arrival + 7 * kDay + 1).empty());
}

TEST_F(SourceRegistryTest, IsKeptAcrossARestartAndAnUnreadableFileStartsEmpty) {
  const int64_t arrival = At("2026-12-07T10:00:00Z");
  std::vector<SourceRecord> before;
  {
    SourceRegistry registry(dir_.path(), clock_);
    registry.Observe({Sale("3", arrival - kMinute), Footfall("2", arrival - kMinute)}, arrival);
    before = registry.Snapshot(arrival);
    registry.Stop();  // saves
  }
  EXPECT_EQ(SourceRegistry(dir_.path(), clock_).Snapshot(arrival), before);
  { std::ofstream(dir_.path() + "/sources.json") << "{\"version\":1,\"sources\":[tru"; }
  EXPECT_TRUE(SourceRegistry(dir_.path(), clock_).Snapshot(arrival).empty());
}

TEST_F(SourceRegistryTest, FollowsAtMostAThousandSources) {
  SourceRegistry registry(dir_.path(), clock_);
  const int64_t arrival = At("2026-12-07T10:00:00Z");
  std::vector<common::Event> events;
  for (int i = 0; i < 1200; ++i) events.push_back(Sale("t" + std::to_string(i), arrival));
  registry.Observe(events, arrival);
  EXPECT_EQ(registry.Snapshot(arrival).size(), kMaxSources);
}

class SilenceRuleTest : public ::testing::Test {
 protected:
  SilenceRule Rule(std::string_view hours, int64_t threshold_ms) {
    return SilenceRule(*OpeningHours::Parse(hours), threshold_ms, paris_);
  }
  common::TimeZone paris_ = *common::TimeZone::Load("Europe/Paris");
};

TEST_F(SilenceRuleTest, ACounterQuietOvernightIsNotSilentAtNineOhOneButIsAtNineThirtyOne) {
  const SilenceRule rule = Rule("mon-fri 09:00-19:00; sat 10:00-18:00", 30 * kMinute);
  // Door counter 2 last sent on Monday at closing time, 19:00 local.
  const SourceRecord counter{{SourceKind::kCounter, "2"}, At("2026-12-01T08:00:00Z"),
                             At("2026-12-07T18:00:00Z"), At("2026-12-07T17:45:00Z")};
  const auto at_0901 = rule.Judge({counter}, At("2026-12-08T08:01:00Z"));  // Tuesday 09:01
  ASSERT_EQ(at_0901.size(), 1u);
  EXPECT_FALSE(at_0901[0].silent);
  const auto at_0931 = rule.Judge({counter}, At("2026-12-08T08:31:00Z"));  // Tuesday 09:31
  EXPECT_TRUE(at_0931[0].silent);
  EXPECT_EQ(at_0931[0].silent_since_ms, At("2026-12-08T08:30:00Z"));  // 09:30: 30 open minutes
  EXPECT_TRUE(SilentForHeartbeat(at_0901).empty());
  EXPECT_EQ(SilentForHeartbeat(at_0931),
            (std::vector<common::wire::SilentSource>{
                {"counter", "2", At("2026-12-07T18:00:00Z"), At("2026-12-08T08:30:00Z")}}));
  EXPECT_TRUE(rule.OpenAt(At("2026-12-08T08:31:00Z")));
  EXPECT_FALSE(rule.OpenAt(At("2026-12-08T07:59:00Z")));
}

TEST_F(SilenceRuleTest, AlwaysOpenCountsWallClockTime) {
  const SilenceRule rule = Rule("", 30 * kMinute);
  const SourceRecord till{{SourceKind::kTill, "3"}, 0, At("2026-12-06T03:00:00Z"), 0};
  EXPECT_FALSE(rule.Judge({till}, At("2026-12-06T03:30:00Z"))[0].silent);  // exactly 30: not yet
  const auto later = rule.Judge({till}, At("2026-12-06T03:30:01Z"));
  EXPECT_TRUE(later[0].silent);
  EXPECT_EQ(later[0].silent_since_ms, At("2026-12-06T03:30:00Z"));
  const nlohmann::json json = SourcesJson(later);
  EXPECT_EQ(json[0]["kind"], "till");
  EXPECT_EQ(json[0]["id"], "3");
  EXPECT_EQ(json[0]["label"], "till 3");
  EXPECT_EQ(json[0]["last_seen"], "2026-12-06T03:00:00.000Z");
  EXPECT_EQ(json[0]["silent"], true);
  EXPECT_EQ(json[0]["silent_since"], "2026-12-06T03:30:00.000Z");
  EXPECT_EQ(SourcesJson(rule.Judge({till}, At("2026-12-06T03:10:00Z")))[0]["silent_since"],
            nullptr);
}

}  // namespace
}  // namespace storepulse::edge
