// The xovis connector: a Xovis logics data push (line counts per interval) to footfall events,
// against hand-computed events; swapped lines; what is rejected and why.
#include "edge/connectors/xovis_connector.h"

#include <gtest/gtest.h>

#include "common/time_zone.h"
#include "edge/connectors/event_ids.h"
#include "tests/connectors/connector_test_util.h"

namespace storepulse::edge {
namespace {

using nlohmann::json;

constexpr int64_t kNow = 1796378400000;        // 2026-12-04T10:00:00Z
constexpr int64_t k1000Paris = 1796374800000;  // 2026-12-04T10:00:00+01:00
constexpr int64_t k1015Paris = 1796375700000;  // 2026-12-04T10:15:00+01:00
const std::string kSerial = "80:1F:12:A0:01:17";

json Footfall(const std::string& line, int64_t from_ms, int64_t in, int64_t out) {
  return {{"id", StableEventId("xovis", {kSerial, line, std::to_string(from_ms)})},
          {"type", "footfall"},
          {"ts", from_ms},
          {"sensor", kSerial + "/" + line},
          {"period_s", 900},
          {"in", in},
          {"out", out}};
}

class XovisConnectorTest : public ::testing::Test {
 protected:
  common::StatusOr<ConnectorOutput> Map(const std::string& body,
                                        std::set<std::string> swapped = {}) {
    XovisConnector connector(std::move(swapped));
    return connector.Map(test_util::Request(body, zone_, kNow, nullptr));
  }
  common::TimeZone zone_ = *common::TimeZone::Load("Europe/Paris");
};

TEST_F(XovisConnectorTest, MapsEachLineAndIntervalToOneFootfallEvent) {
  auto output = Map(test_util::Fixture("xovis/two_lines.json"));
  ASSERT_TRUE(output.ok()) << output.status().message();
  ASSERT_EQ(output->events.size(), 4u);
  // Forward is in, backward out; ts is the interval's start; 15 minutes each.
  EXPECT_EQ(output->events[0].event(), Footfall("1", k1000Paris, 12, 5));
  EXPECT_EQ(output->events[1].event(), Footfall("1", k1015Paris, 9, 7));
  EXPECT_EQ(output->events[2].event(), Footfall("2", k1000Paris, 3, 8));
  EXPECT_EQ(output->events[3].event(), Footfall("2", k1015Paris, 4, 6));
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(output->events[i].record, i);
  EXPECT_EQ(output->events[2].source,
            "line 2 'Side door' of sensor 80:1F:12:A0:01:17, 2026-12-04T10:00:00+01:00");
  EXPECT_TRUE(output->rejected.empty());
  EXPECT_TRUE(output->skipped.empty());
  EXPECT_TRUE(output->state.empty());  // stateless
}

TEST_F(XovisConnectorTest, APushSentAgainMapsToTheSameIds) {
  const std::string body = test_util::Fixture("xovis/two_lines.json");
  auto first = Map(body);
  auto again = Map(body);
  ASSERT_TRUE(first.ok() && again.ok());
  for (size_t i = 0; i < first->events.size(); ++i) {
    EXPECT_EQ(first->events[i].event()["id"], again->events[i].event()["id"]);
  }
}

TEST_F(XovisConnectorTest, ASwappedLineCountsBackwardAsIn) {
  auto output = Map(test_util::Fixture("xovis/two_lines.json"), {kSerial + "/2"});
  ASSERT_TRUE(output.ok()) << output.status().message();
  EXPECT_EQ(output->events[0].event(), Footfall("1", k1000Paris, 12, 5));  // line 1 as it was
  EXPECT_EQ(output->events[2].event(), Footfall("2", k1000Paris, 8, 3));
  EXPECT_EQ(output->events[3].event(), Footfall("2", k1015Paris, 6, 4));
}

TEST_F(XovisConnectorTest, ASwappedSerialNumberSwapsAllItsLines) {
  auto output = Map(test_util::Fixture("xovis/two_lines.json"), {kSerial});
  ASSERT_TRUE(output.ok()) << output.status().message();
  EXPECT_EQ(output->events[1].event(), Footfall("1", k1015Paris, 7, 9));
  EXPECT_EQ(output->events[3].event(), Footfall("2", k1015Paris, 6, 4));
}

TEST_F(XovisConnectorTest, ReadsUnixMillisecondTimesAndThePackageWithoutItsWrapper) {
  json push = {{"sensor_info", {{"serial_number", kSerial}}},
               {"logics",
                {{{"id", 1},
                  {"records",
                   {{{"from", k1000Paris},
                     {"to", k1000Paris + 60000},
                     {"counts",
                      {{{"name", "FW"}, {"value", 2}},
                       {{"name", "BW"}, {"value", 0}},
                       {{"name", "fw child"}, {"value", 1}}}}}}}}}}};
  auto output = Map(push.dump());
  ASSERT_TRUE(output.ok()) << output.status().message();
  ASSERT_EQ(output->events.size(), 1u);
  json expected = Footfall("1", k1000Paris, 2, 0);
  expected["period_s"] = 60;
  EXPECT_EQ(output->events[0].event(), expected);
}

TEST_F(XovisConnectorTest, RejectsRecordsItCannotMapAndKeepsTheOthers) {
  json good = {{"from", "2026-12-04T10:00:00+01:00"},
               {"to", "2026-12-04T10:15:00+01:00"},
               {"counts", {{{"name", "fw"}, {"value", 1}}, {{"name", "bw"}, {"value", 1}}}}};
  json backwards = good;
  backwards["to"] = "2026-12-04T09:45:00+01:00";
  json no_bw = good;
  no_bw["counts"] = {{{"name", "fw"}, {"value", 1}}};
  json negative = good;
  negative["counts"][1]["value"] = -2;
  json push = {{"logics_data",
                {{"sensor_info", {{"serial_number", kSerial}}},
                 {"logics",
                  {{{"id", 1}, {"records", {good, backwards, no_bw, negative}}},
                   {{"name", "no id"}, {"records", json::array()}}}}}}};
  auto output = Map(push.dump());
  ASSERT_TRUE(output.ok()) << output.status().message();
  ASSERT_EQ(output->events.size(), 1u);
  ASSERT_EQ(output->rejected.size(), 4u);
  EXPECT_EQ(output->rejected[0].record, 1u);
  EXPECT_NE(output->rejected[0].reason.find("must end after it starts"), std::string::npos);
  EXPECT_EQ(output->rejected[1].record, 2u);
  EXPECT_NE(output->rejected[1].reason.find("'bw'"), std::string::npos);
  EXPECT_EQ(output->rejected[2].record, 3u);
  EXPECT_NE(output->rejected[2].reason.find("integer >= 0"), std::string::npos);
  EXPECT_EQ(output->rejected[3].record, 4u);
  EXPECT_EQ(output->rejected[3].source, "line ? 'no id' of sensor 80:1F:12:A0:01:17");
}

TEST_F(XovisConnectorTest, RefusesABodyThatIsNotALogicsPush) {
  for (const char* body : {"", "{\"logics_data\": {", "[1, 2]", "{\"live_data\": {}}",
                           "{\"sensor_info\": {\"serial_number\": \"X\"}}"}) {
    auto output = Map(body);
    ASSERT_FALSE(output.ok()) << body;
    EXPECT_EQ(output.status().code(), common::StatusCode::kInvalidArgument) << body;
  }
}

}  // namespace
}  // namespace storepulse::edge
