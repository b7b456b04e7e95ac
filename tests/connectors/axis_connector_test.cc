// The axis connector: AXIS People Counter live counts (cumulative totals, differenced against the
// last reading kept: a baseline, increments, a reset, a reading sent again, out of order, the
// crash between storing events and keeping the reading) and its CSV interval export, against
// hand-computed events.
#include "edge/connectors/axis_connector.h"

#include <gtest/gtest.h>

#include "common/event_codec.h"
#include "common/time_util.h"
#include "common/time_zone.h"
#include "edge/connectors/connector_ingest.h"
#include "edge/connectors/event_ids.h"
#include "edge/disk_guard.h"
#include "edge/event_store.h"
#include "edge/group_commit_writer.h"
#include "tests/connectors/connector_test_util.h"
#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

using nlohmann::json;

constexpr int64_t kNow = 1796378400000;  // 2026-12-04T10:00:00Z
const std::string kSerial = "ACCC8E5F0A12";
// The fixture's readings, 2026-12-04 in Paris (+01:00): 09:00, 09:15, 09:30, 09:45, 10:00.
constexpr int64_t kAt[] = {1796371200000, 1796372100000, 1796373000000, 1796373900000,
                           1796374800000};

// The footfall event of the interval from reading `from` to reading `to`.
json Interval(size_t from, size_t to, int64_t in, int64_t out) {
  return {{"id", StableEventId("axis", {kSerial, std::to_string(kAt[from])})},
          {"type", "footfall"},
          {"ts", kAt[from]},
          {"sensor", kSerial},
          {"period_s", (kAt[to] - kAt[from]) / 1000},
          {"in", in},
          {"out", out}};
}

bool Mentions(const RecordNotes& notes, size_t i, const std::string& text) {
  return i < notes.size() && notes[i].reason.find(text) != std::string::npos;
}

class AxisLiveCountsTest : public ::testing::Test {
 protected:
  // Maps `body` with what earlier posts kept and keeps what it returns, as ConnectorIngest does
  // once the events are stored.
  ConnectorOutput Post(const std::string& body) {
    auto output = connector_.Map(test_util::Request(body, zone_, kNow, &kept_));
    EXPECT_TRUE(output.ok()) << output.status().message();
    if (!output.ok()) return {};
    for (const auto& [key, value] : output->state) kept_[key] = value;
    return *output;
  }
  std::string Reading(size_t i) const { return readings_[i].dump(); }

  common::TimeZone zone_ = *common::TimeZone::Load("Europe/Paris");
  json readings_ = json::parse(test_util::Fixture("axis/live_readings.json"));
  std::map<std::string, std::string> kept_;
  AxisConnector connector_{{}};
};

TEST_F(AxisLiveCountsTest, TheFirstReadingSetsTheBaselineAndLaterOnesCountTheDifference) {
  ConnectorOutput first = Post(Reading(0));
  EXPECT_TRUE(first.events.empty());
  ASSERT_EQ(first.skipped.size(), 1u);
  EXPECT_EQ(first.skipped[0].source,
            "counter ACCC8E5F0A12 'Main entrance' at "
            "2026-12-04T09:00:00+01:00");
  EXPECT_TRUE(Mentions(first.skipped, 0, "baseline"));
  EXPECT_EQ(kept_[kSerial], R"({"in":1000,"out":990,"ts":1796371200000})");

  ConnectorOutput second = Post(Reading(1));  // 1012 - 1000 in, 995 - 990 out
  ASSERT_EQ(second.events.size(), 1u);
  EXPECT_EQ(second.events[0].event(), Interval(0, 1, 12, 5));
  ConnectorOutput third = Post(Reading(2));  // 1030 - 1012, 1004 - 995
  ASSERT_EQ(third.events.size(), 1u);
  EXPECT_EQ(third.events[0].event(), Interval(1, 2, 18, 9));
  EXPECT_TRUE(third.skipped.empty());
}

TEST_F(AxisLiveCountsTest, AResetCountsNoTrafficAndBecomesTheNewBaseline) {
  for (size_t i = 0; i < 3; ++i) Post(Reading(i));
  ConnectorOutput reset = Post(Reading(3));  // in 1030 → 4, out 1004 → 2
  EXPECT_TRUE(reset.events.empty());
  ASSERT_EQ(reset.skipped.size(), 1u);
  EXPECT_TRUE(Mentions(reset.skipped, 0, "reset")) << reset.skipped[0].reason;
  EXPECT_TRUE(Mentions(reset.skipped, 0, "new baseline"));
  ConnectorOutput after = Post(Reading(4));  // 15 - 4, 9 - 2: counted from the reset reading
  ASSERT_EQ(after.events.size(), 1u);
  EXPECT_EQ(after.events[0].event(), Interval(3, 4, 11, 7));
}

TEST_F(AxisLiveCountsTest, OnlyOneTotalGoingDownIsAResetToo) {
  Post(Reading(0));
  json odd = readings_[1];
  odd["in"] = 1200;
  odd["out"] = 10;  // 990 → 10
  ConnectorOutput output = Post(odd.dump());
  EXPECT_TRUE(output.events.empty());
  EXPECT_TRUE(Mentions(output.skipped, 0, "reset"));
}

TEST_F(AxisLiveCountsTest, AReadingSentAgainIsNotCountedTwice) {
  Post(Reading(0));
  ASSERT_EQ(Post(Reading(1)).events.size(), 1u);
  ConnectorOutput again = Post(Reading(1));
  EXPECT_TRUE(again.events.empty());
  ASSERT_EQ(again.skipped.size(), 1u);
  EXPECT_TRUE(Mentions(again.skipped, 0, "not newer than the last reading kept"));
  EXPECT_TRUE(again.state.empty());  // nothing changes
}

TEST_F(AxisLiveCountsTest, AnOlderReadingArrivingLateIsSkipped) {
  Post(Reading(0));
  ASSERT_EQ(Post(Reading(2)).events[0].event(), Interval(0, 2, 30, 14));
  ConnectorOutput late = Post(Reading(1));
  EXPECT_TRUE(late.events.empty());
  EXPECT_TRUE(Mentions(late.skipped, 0, "out of order"));
  ASSERT_EQ(Post(Reading(3)).events.size(), 0u);  // and the reset after it still counts nothing
}

TEST_F(AxisLiveCountsTest, ABatchIsTakenInTimeOrderPerCounter) {
  json other = {{"serial", "ACCC8E5F0B34"}, {"timestamp", "20261204091500"}, {"in", 7}, {"out", 7}};
  json batch = {readings_[2], other, readings_[0], readings_[1]};
  ConnectorOutput output = Post(batch.dump());
  ASSERT_EQ(output.events.size(), 2u);
  EXPECT_EQ(output.events[0].event(), Interval(0, 1, 12, 5));
  EXPECT_EQ(output.events[0].record, 3u);  // positions in the request, as sent
  EXPECT_EQ(output.events[1].event(), Interval(1, 2, 18, 9));
  EXPECT_EQ(output.skipped.size(), 2u);  // two baselines: both counters' first readings
  EXPECT_EQ(output.state.size(), 2u);
}

TEST_F(AxisLiveCountsTest, ReadingsMoreThanADayApartCountNothingBetween) {
  Post(Reading(0));
  json next_day = readings_[1];
  next_day["timestamp"] = "20261205091500";  // a day and 15 minutes later
  next_day["in"] = 1500;
  ConnectorOutput output = Post(next_day.dump());
  EXPECT_TRUE(output.events.empty());
  EXPECT_TRUE(Mentions(output.skipped, 0, "more than a day"));
  EXPECT_EQ(kept_[kSerial], R"({"in":1500,"out":995,"ts":1796458500000})");
}

TEST_F(AxisLiveCountsTest, ASwappedCounterCountsOutAsIn) {
  AxisConnector swapped({kSerial});
  std::map<std::string, std::string> kept;
  auto first = swapped.Map(test_util::Request(Reading(0), zone_, kNow, &kept));
  kept = first->state;
  auto second = swapped.Map(test_util::Request(Reading(1), zone_, kNow, &kept));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->events[0].event(), Interval(0, 1, 5, 12));
}

TEST_F(AxisLiveCountsTest, RejectsReadingsItCannotReadAndKeepsNothingOfThem) {
  json no_serial = readings_[0];
  no_serial.erase("serial");
  json negative = readings_[0];
  negative["in"] = -1;
  json text_total = readings_[0];
  text_total["out"] = "990";
  json bad_time = readings_[0];
  bad_time["timestamp"] = "yesterday";
  json future = readings_[0];
  future["timestamp"] = "20261206090000";  // two days ahead of the edge's clock
  ConnectorOutput output = Post(json({no_serial, negative, text_total, bad_time, future}).dump());
  EXPECT_TRUE(output.events.empty());
  ASSERT_EQ(output.rejected.size(), 5u);
  EXPECT_TRUE(Mentions(output.rejected, 0, "'serial'"));
  EXPECT_TRUE(Mentions(output.rejected, 1, "integers >= 0"));
  EXPECT_TRUE(Mentions(output.rejected, 2, "integers >= 0"));
  EXPECT_TRUE(Mentions(output.rejected, 3, "'timestamp'"));
  EXPECT_TRUE(Mentions(output.rejected, 4, "ahead of the edge's clock"));
  EXPECT_TRUE(output.state.empty());
}

TEST_F(AxisLiveCountsTest, AnUnreadableKeptReadingRefusesTheRequest) {
  kept_[kSerial] = "garbage";
  auto output = connector_.Map(test_util::Request(Reading(1), zone_, kNow, &kept_));
  ASSERT_FALSE(output.ok());
  EXPECT_EQ(output.status().code(), common::StatusCode::kInternal);
}

// The CSV interval export, posted to the same endpoint.
class AxisCsvExportTest : public ::testing::Test {
 protected:
  common::StatusOr<ConnectorOutput> Map(const std::string& body,
                                        std::map<std::string, std::string> params,
                                        std::set<std::string> swapped = {}) {
    AxisConnector connector(std::move(swapped));
    return connector.Map(test_util::Request(body, zone_, kNow, nullptr, std::move(params)));
  }
  json Row(int64_t start, int64_t in, int64_t out) {
    return {{"id", StableEventId("axis", {"csv", kSerial, std::to_string(start)})},
            {"type", "footfall"},
            {"ts", start},
            {"sensor", kSerial},
            {"period_s", 900},
            {"in", in},
            {"out", out}};
  }
  common::TimeZone zone_ = *common::TimeZone::Load("Europe/Paris");
};

TEST_F(AxisCsvExportTest, MapsEachIntervalRowToOneEventInTheStoresZone) {
  auto output = Map(test_util::Fixture("axis/export_15m.csv"), {{"sensor", kSerial}});
  ASSERT_TRUE(output.ok()) << output.status().message();
  ASSERT_EQ(output->events.size(), 4u);
  EXPECT_EQ(output->events[0].event(), Row(kAt[0], 7, 3));  // 09:00 Paris = 08:00Z
  EXPECT_EQ(output->events[1].event(), Row(kAt[1], 12, 9));
  EXPECT_EQ(output->events[2].event(), Row(kAt[2], 0, 1));
  EXPECT_EQ(output->events[3].event(), Row(kAt[3], 21, 14));
  int64_t in = 0, out = 0;
  for (const MappedEvent& e : output->events) {
    in += e.event()["in"].get<int64_t>();
    out += e.event()["out"].get<int64_t>();
  }
  EXPECT_EQ(in, 40);
  EXPECT_EQ(out, 27);
  EXPECT_EQ(output->events[3].source, "line 5 (counter ACCC8E5F0A12)");
  EXPECT_TRUE(output->state.empty());  // stateless
}

TEST_F(AxisCsvExportTest, ASwappedCounterAndASerialColumn) {
  const std::string body =
      "\xEF\xBB\xBFSerial,Start,End,In,Out\r\n"
      "ACCC8E5F0A12,2026-12-04 09:00:00,2026-12-04 09:15:00,7,3\r\n";
  auto output = Map(body, {}, {kSerial});
  ASSERT_TRUE(output.ok()) << output.status().message();
  ASSERT_EQ(output->events.size(), 1u);
  EXPECT_EQ(output->events[0].event(), Row(kAt[0], 3, 7));
}

TEST_F(AxisCsvExportTest, RejectsRowsItCannotMap) {
  const std::string body =
      "start,end,in,out\n"
      "2026-12-04 09:00:00,2026-12-04 09:15:00,7,3\n"
      "2026-12-04 09:15:00,2026-12-04 09:15:00,1,1\n"    // no length
      "2026-12-04 09:30:00,2026-12-04 09:45:00,-1,0\n"   // negative
      "2026-12-04 09:45:00,2026-12-04 10:00:00,2.5,0\n"  // not an integer
      "2026-12-04 10:00:00,2026-12-04 10:15:00\n";       // short row
  auto output = Map(body, {{"sensor", kSerial}});
  ASSERT_TRUE(output.ok()) << output.status().message();
  EXPECT_EQ(output->events.size(), 1u);
  ASSERT_EQ(output->rejected.size(), 4u);
  EXPECT_EQ(output->rejected[0].record, 1u);
  EXPECT_EQ(output->rejected[0].source, "line 3 (counter ACCC8E5F0A12)");
  EXPECT_TRUE(Mentions(output->rejected, 1, "'in' must be an integer >= 0"));
  EXPECT_TRUE(Mentions(output->rejected, 2, "'in' must be an integer >= 0"));
  EXPECT_TRUE(Mentions(output->rejected, 3, "fields"));
}

TEST_F(AxisCsvExportTest, RefusesAnExportWithoutItsColumnsOrItsCounter) {
  auto wrong_header =
      Map("ValueDateTime,ValueIn,ValueOut\n2026-12-04 09:00,1,2\n", {{"sensor", kSerial}});
  ASSERT_FALSE(wrong_header.ok());
  EXPECT_NE(wrong_header.status().message().find("start, end, in and out"), std::string::npos);
  auto no_counter = Map(test_util::Fixture("axis/export_15m.csv"), {});
  ASSERT_FALSE(no_counter.ok());
  EXPECT_NE(no_counter.status().message().find("?sensor="), std::string::npos);
  EXPECT_FALSE(Map("start,end,in,out\n\"2026-12-04 09:00:00,", {{"sensor", kSerial}}).ok());
}

// Through the one validator and writer, with connectors.db: what is answered and kept.
class AxisIngestTest : public ::testing::Test {
 protected:
  ConnectorAnswer Run(const std::string& body) {
    return pipeline_.runner.Run(connector_, test_util::Request(body, zone_, kNow, nullptr));
  }
  std::string Reading(size_t i) const { return readings_[i].dump(); }

  test_support::TempDir dir_;
  common::TimeZone zone_ = *common::TimeZone::Load("Europe/Paris");
  common::FakeClock clock_{kNow};
  json readings_ = json::parse(test_util::Fixture("axis/live_readings.json"));
  test_util::IngestPipeline pipeline_{dir_.path(), zone_, clock_};
  AxisConnector connector_{{}};
};

TEST_F(AxisIngestTest, ACrashAfterStoringBeforeKeepingTheReadingMakesADuplicateNotADoubleCount) {
  ASSERT_EQ(Run(Reading(0)).body["skipped"].size(), 1u);  // baseline kept
  // Reading 1's events are stored, then the edge dies before keeping reading 1.
  std::map<std::string, std::string> kept = {{kSerial, **pipeline_.state->Get("axis", kSerial)}};
  auto mapped = connector_.Map(test_util::Request(Reading(1), zone_, kNow, &kept));
  ASSERT_TRUE(mapped.ok() && mapped->events.size() == 1u);
  auto batch = common::DecodeJsonBatch("[" + mapped->events[0].event().dump() + "]");
  ASSERT_TRUE(batch.ok());
  ASSERT_EQ(pipeline_.ingest.IngestBlocking(std::move(batch).value()).accepted, 1);
  EXPECT_EQ(**pipeline_.state->Get("axis", kSerial), R"({"in":1000,"out":990,"ts":1796371200000})");
  // The counter sends reading 1 again: the same id, a duplicate; now its reading is kept.
  ConnectorAnswer again = Run(Reading(1));
  EXPECT_EQ(again.body["accepted"], 0);
  EXPECT_EQ(again.body["duplicates"], 1);
  EXPECT_EQ(**pipeline_.state->Get("axis", kSerial), R"({"in":1012,"out":995,"ts":1796372100000})");
  ConnectorAnswer next = Run(Reading(2));
  EXPECT_EQ(next.body["accepted"], 1);
  EXPECT_EQ(pipeline_.writer.info().last_seq, 2);  // readings 1 and 2: one event each, never three
}

TEST_F(AxisIngestTest, AMalformedBodyIs400AndKeepsNothing) {
  ConnectorAnswer answer = Run("{\"serial\": \"ACCC8E5F0A12\", \"in\": ");
  EXPECT_EQ(answer.http_status, 400);
  EXPECT_NE(answer.body["error"].get<std::string>().find("not JSON"), std::string::npos);
  EXPECT_EQ(Run("In;Out\n1;2\n").http_status, 400);  // neither live counts nor the export
  EXPECT_EQ(Run(" \n").http_status, 400);
  EXPECT_FALSE(pipeline_.state->Get("axis", kSerial)->has_value());
  EXPECT_EQ(pipeline_.writer.info().last_seq, 0);
}

}  // namespace
}  // namespace storepulse::edge
