// The footfallcam connector: a FootfallCam-style CSV export mapped to footfall events, checked
// against events computed by hand (Europe/Paris: 10:00 local is 09:00Z in December).
#include "edge/connectors/footfallcam_connector.h"

#include <gtest/gtest.h>

#include "tests/connectors/csv_test_support.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

using csv_test::ParisDec4;
using csv_test::ReadFixture;
using csv_test::RequestFor;
using nlohmann::json;

json Footfall(const std::string& id, int64_t ts, const std::string& sensor, int period_s, int in,
              int out) {
  return {{"id", id}, {"type", "footfall"}, {"ts", ts}, {"sensor", sensor}, {"period_s", period_s},
          {"in", in}, {"out", out}};
}

std::vector<json> Events(const ConnectorOutput& output) {
  std::vector<json> events;
  for (const MappedEvent& mapped : output.events) events.push_back(mapped.event());
  return events;
}

TEST(FootfallCamConnectorTest, MapsTwoCountersOverThreeIntervals) {
  FootfallCamConnector connector({});
  const std::string body = ReadFixture("footfallcam/two_counters.csv");
  auto output = connector.Map(RequestFor(body));
  ASSERT_TRUE(output.ok()) << output.status().message();
  EXPECT_TRUE(output->rejected.empty());
  // The rows are 15 minutes apart for each counter: period_s 900.
  const std::vector<json> expected = {
      Footfall("footfallcam:1:2026-12-04T09%3A00%3A00.000Z", ParisDec4(10, 0), "1", 900, 12, 9),
      Footfall("footfallcam:2:2026-12-04T09%3A00%3A00.000Z", ParisDec4(10, 0), "2", 900, 5, 4),
      Footfall("footfallcam:1:2026-12-04T09%3A15%3A00.000Z", ParisDec4(10, 15), "1", 900, 20, 15),
      Footfall("footfallcam:2:2026-12-04T09%3A15%3A00.000Z", ParisDec4(10, 15), "2", 900, 7, 8),
      Footfall("footfallcam:1:2026-12-04T09%3A30%3A00.000Z", ParisDec4(10, 30), "1", 900, 31, 22),
      Footfall("footfallcam:2:2026-12-04T09%3A30%3A00.000Z", ParisDec4(10, 30), "2", 900, 0, 3)};
  EXPECT_EQ(Events(*output), expected);
  EXPECT_EQ(output->events[4].source, "line 6 (counter 1)");
  EXPECT_EQ(output->events[4].record, 4u);
}

TEST(FootfallCamConnectorTest, SwapsInAndOutOfACounterMountedTheOtherWay) {
  FootfallCamConnector connector({"2"});
  const std::string body = ReadFixture("footfallcam/two_counters.csv");
  auto output = connector.Map(RequestFor(body));
  ASSERT_TRUE(output.ok()) << output.status().message();
  ASSERT_EQ(output->events.size(), 6u);
  EXPECT_EQ(output->events[0].event()["in"], 12);  // counter 1 as sent
  EXPECT_EQ(output->events[0].event()["out"], 9);
  EXPECT_EQ(output->events[1].event()["in"], 4);  // counter 2: ValueOut is who came in
  EXPECT_EQ(output->events[1].event()["out"], 5);
  EXPECT_EQ(output->events[5].event()["in"], 3);
  EXPECT_EQ(output->events[5].event()["out"], 0);
}

TEST(FootfallCamConnectorTest, FindsColumnsInAnyOrderAndCaseAndIgnoresOthers) {
  FootfallCamConnector connector({});
  auto output =
      connector.Map(RequestFor("\xEF\xBB\xBF"
                               "counterid,Location,VALUEIN,valueout,ValueDateTime\n"
                               "door-A,Main entrance,4,3,2026-12-04T10:00:00+01:00\n"));
  ASSERT_TRUE(output.ok()) << output.status().message();
  EXPECT_EQ(Events(*output),
            std::vector<json>{Footfall("footfallcam:door-A:2026-12-04T09%3A00%3A00.000Z",
                                       ParisDec4(10, 0), "door-A", 900, 4, 3)});
}

TEST(FootfallCamConnectorTest, AWrongHeaderRefusesTheRequestNamingTheMissingColumn) {
  FootfallCamConnector connector({});
  const std::string body = ReadFixture("footfallcam/wrong_header.csv");
  auto output = connector.Map(RequestFor(body));
  ASSERT_FALSE(output.ok());
  EXPECT_EQ(output.status().code(), common::StatusCode::kInvalidArgument);
  EXPECT_EQ(output.status().message(),
            "the CSV header has no column \"ValueOut\" (found: "
            "ValueDateTime,ValueIn,Value_Out,CounterId); a FootfallCam export's header names "
            "ValueDateTime,ValueIn,ValueOut,CounterId");
}

TEST(FootfallCamConnectorTest, RejectsBadRowsWithTheirLineAndMapsTheOthers) {
  FootfallCamConnector connector({});
  const std::string body = ReadFixture("footfallcam/bad_rows.csv");
  auto output = connector.Map(RequestFor(body));
  ASSERT_TRUE(output.ok()) << output.status().message();
  // Counter 1 keeps 10:00 and 10:30 (its 10:15 row is bad): its smallest gap is 30 minutes.
  // Counter 2 keeps one row: the 15-minute default.
  const std::vector<json> expected = {
      Footfall("footfallcam:1:2026-12-04T09%3A00%3A00.000Z", ParisDec4(10, 0), "1", 1800, 12, 9),
      Footfall("footfallcam:2:2026-12-04T09%3A15%3A00.000Z", ParisDec4(10, 15), "2", 900, 6, 5),
      Footfall("footfallcam:1:2026-12-04T09%3A30%3A00.000Z", ParisDec4(10, 30), "1", 1800, 9, 1)};
  EXPECT_EQ(Events(*output), expected);
  ASSERT_EQ(output->rejected.size(), 4u);
  EXPECT_EQ(output->rejected[0].record, 1u);
  EXPECT_EQ(output->rejected[0].source, "line 3 (counter 1)");
  EXPECT_EQ(output->rejected[0].reason, "ValueIn \"-3\" is not a whole number >= 0");
  EXPECT_EQ(output->rejected[1].source, "line 4 (counter 2)");
  EXPECT_EQ(output->rejected[1].reason,
            "ValueDateTime: no such time of day: \"2026-12-04 25:00:00\"");
  EXPECT_EQ(output->rejected[2].record, 5u);
  EXPECT_EQ(output->rejected[2].source, "line 7 (counter 2)");
  EXPECT_EQ(output->rejected[2].reason, "ValueOut \"x\" is not a whole number >= 0");
  EXPECT_EQ(output->rejected[3].source, "line 8");
  EXPECT_EQ(output->rejected[3].reason, "the row has 3 cells, the header 4");
}

TEST(FootfallCamConnectorTest, APeriodParameterSetsTheIntervalAndARepeatedIntervalIsRejected) {
  FootfallCamConnector connector({});
  ConnectorRequest request = RequestFor(
      "ValueDateTime,ValueIn,ValueOut,CounterId\n"
      "2026-12-04 10:00,3,1,1\n"
      "2026-12-04 10:00,4,1,1\n");
  request.params["period_s"] = "3600";
  auto output = connector.Map(request);
  ASSERT_TRUE(output.ok()) << output.status().message();
  ASSERT_EQ(output->events.size(), 1u);
  EXPECT_EQ(output->events[0].event()["period_s"], 3600);
  EXPECT_EQ(output->events[0].event()["in"], 3);
  ASSERT_EQ(output->rejected.size(), 1u);
  EXPECT_EQ(output->rejected[0].source, "line 3 (counter 1)");
  EXPECT_EQ(output->rejected[0].reason, "repeats the counter's interval of line 2");
  request.params["period_s"] = "0";
  EXPECT_EQ(connector.Map(request).status().code(), common::StatusCode::kInvalidArgument);
}

TEST(FootfallCamConnectorTest, AReExportGivesTheSameIds) {
  FootfallCamConnector connector({});
  const std::string body = ReadFixture("footfallcam/two_counters.csv");
  auto first = connector.Map(RequestFor(body));
  auto again = connector.Map(
      RequestFor("ValueDateTime,ValueIn,ValueOut,CounterId\n2026-12-04 10:15:00,20,15,1\n"));
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(again->events[0].event()["id"], first->events[2].event()["id"]);
}

// The real edge: the export posted to /api/v1/connectors/footfallcam, its footfall in the KPIs,
// counter 2 swapped by --swap-direction; the same export again is all duplicates.
TEST(FootfallCamConnectorTest, TheEdgeCountsAnExportOnceWithASwappedCounter) {
  test_support::TempDir dir;
  test_support::EdgeNode edge(
      {.data_dir = dir.path() + "/edge", .extra_args = {"--swap-direction", "2"}});
  ASSERT_TRUE(edge.Start());
  const std::string body = ReadFixture("footfallcam/two_counters.csv");
  auto reply = test_support::PostBody(edge.http_port(), "/api/v1/connectors/footfallcam", body);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200) << reply->body.dump();
  EXPECT_EQ(reply->body["accepted"], 6) << reply->body.dump();
  // In: counter 1 12 + 20 + 31; counter 2, swapped, its ValueOut 4 + 8 + 3.
  auto kpi = test_support::GetJson(edge.http_port(), "/api/v1/kpi?from=2026-12-04&to=2026-12-05");
  ASSERT_TRUE(kpi.has_value());
  EXPECT_EQ((*kpi)["rows"][0]["footfall"], 78) << kpi->dump();

  reply = test_support::PostBody(edge.http_port(), "/api/v1/connectors/footfallcam", body);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->body["accepted"], 0) << reply->body.dump();
  EXPECT_EQ(reply->body["duplicates"], 6);
  kpi = test_support::GetJson(edge.http_port(), "/api/v1/kpi?from=2026-12-04&to=2026-12-05");
  ASSERT_TRUE(kpi.has_value());
  EXPECT_EQ((*kpi)["rows"][0]["footfall"], 78);

  reply = test_support::PostBody(edge.http_port(), "/api/v1/connectors/footfallcam",
                                 ReadFixture("footfallcam/wrong_header.csv"));
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 400);
  EXPECT_NE(reply->body["error"].get<std::string>().find("no column \"ValueOut\""),
            std::string::npos)
      << reply->body.dump();
}

}  // namespace
}  // namespace storepulse::edge
