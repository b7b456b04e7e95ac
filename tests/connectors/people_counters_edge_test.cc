// The real storepulse-edge fed by people counters through POST /api/v1/connectors/axis and
// /xovis: the footfall KPI is the hand total, a counter reset in the middle counts nothing,
// posting everything again changes nothing, and a restarted edge keeps each counter's baseline
// (connectors.db).
#include <gtest/gtest.h>

#include <httplib.h>

#include "tests/connectors/connector_test_util.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

using nlohmann::json;

const std::string kToken = "counter-token-4711";
const std::string kDay = "/api/v1/kpi?from=2026-12-04&to=2026-12-05";  // Paris local day

class PeopleCountersEdgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The side door's Axis counter and the Xovis sensor's line 2 are mounted the other way round.
    edge_ = std::make_unique<EdgeNode>(
        EdgeNode::Options{"S1",
                          "Europe/Paris",
                          dir_.File("edge"),
                          {"--http-token-file", dir_.Write("token", kToken + "\n"),
                           "--swap-direction", "ACCC8E5F0B34,80:1F:12:A0:01:17/2"}});
    ASSERT_TRUE(edge_->Start());
  }
  void TearDown() override {
    if (edge_ && edge_->Running()) {
      EXPECT_EQ(edge_->Stop(), 0) << edge_->Log();
    }
  }
  json Post(const std::string& connector, const std::string& body) {
    auto reply = PostBody(edge_->http_port(), "/api/v1/connectors/" + connector, body, kToken);
    EXPECT_TRUE(reply.has_value());
    if (!reply) return json();
    EXPECT_EQ(reply->status, 200) << reply->body.dump();
    return reply->body;
  }
  int64_t Footfall() {
    auto kpi = GetJson(edge_->http_port(), kDay);
    EXPECT_TRUE(kpi.has_value());
    return kpi ? (*kpi)["rows"][0]["footfall"].get<int64_t>() : -1;
  }
  // Every reading of both Axis counters, in order, one request each (as the cameras push them):
  // main entrance in 1000 → 1012 → 1030 → reset to 4 → 15, i.e. 12 + 18 + 0 + 11 = 41; the side
  // door (swapped: its out is in) out 300 → 310, i.e. 10. Returns the events accepted.
  int64_t PostAllAxisReadings() {
    json readings = json::parse(edge::test_util::Fixture("axis/live_readings.json"));
    readings.push_back({{"serial", "ACCC8E5F0B34"},
                        {"name", "Side door"},
                        {"timestamp", "20261204090000"},
                        {"in", 200},
                        {"out", 300}});
    readings.push_back({{"serial", "ACCC8E5F0B34"},
                        {"name", "Side door"},
                        {"timestamp", "20261204093000"},
                        {"in", 203},
                        {"out", 310}});
    int64_t accepted = 0;
    for (const json& reading : readings) {
      accepted += Post("axis", reading.dump())["accepted"].get<int64_t>();
    }
    return accepted;
  }

  TempDir dir_;
  std::unique_ptr<EdgeNode> edge_;
};

TEST_F(PeopleCountersEdgeTest, AxisReadingsGiveTheHandTotalAResetCountsNothingAndResendsNothing) {
  EXPECT_EQ(PostAllAxisReadings(), 4);  // 5 + 2 readings: 2 baselines, 1 reset
  EXPECT_EQ(Footfall(), 41 + 10);
  EXPECT_EQ(PostAllAxisReadings(), 0);  // every reading again: each one is not newer, skipped
  EXPECT_EQ(Footfall(), 41 + 10);
}

TEST_F(PeopleCountersEdgeTest, ARestartedEdgeKeepsEachCountersBaseline) {
  EXPECT_EQ(PostAllAxisReadings(), 4);
  ASSERT_EQ(edge_->Stop(), 0);
  ASSERT_TRUE(edge_->Start());
  // 10:15: in 15 → 20. Counted from the 10:00 reading kept before the restart, not a baseline.
  json answer = Post("axis", R"({"serial": "ACCC8E5F0A12", "name": "Main entrance",
                                 "timestamp": "20261204101500", "in": 20, "out": 12})");
  EXPECT_EQ(answer["accepted"], 1) << answer.dump();
  EXPECT_EQ(Footfall(), 41 + 10 + 5);
  EXPECT_EQ(PostAllAxisReadings(), 0);
  EXPECT_EQ(Footfall(), 41 + 10 + 5);
}

TEST_F(PeopleCountersEdgeTest, XovisPushAndAxisExportCountOnceWithTheTokenAsBasicAuthPassword) {
  // Xovis: line 1 forward 12 + 9; line 2 swapped, backward 8 + 6 → 35.
  json xovis = Post("xovis", edge::test_util::Fixture("xovis/two_lines.json"));
  EXPECT_EQ(xovis["accepted"], 4) << xovis.dump();
  EXPECT_EQ(Footfall(), 35);
  EXPECT_EQ(Post("xovis", edge::test_util::Fixture("xovis/two_lines.json"))["duplicates"], 4);

  // The Axis CSV export, as a camera's upload would send it: basic auth, the token as password.
  httplib::Client client("127.0.0.1", edge_->http_port());
  client.set_read_timeout(30, 0);
  client.set_basic_auth("axis", kToken);
  const std::string csv = edge::test_util::Fixture("axis/export_15m.csv");
  auto reply = client.Post("/api/v1/connectors/axis?sensor=ACCC8E5F0C56", csv, "text/csv");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200) << reply->body;
  EXPECT_EQ(json::parse(reply->body)["accepted"], 4);
  EXPECT_EQ(Footfall(), 35 + 40);  // the export's in: 7 + 12 + 0 + 21

  client.set_basic_auth("axis", "wrong");
  reply = client.Post("/api/v1/connectors/axis?sensor=ACCC8E5F0C56", csv, "text/csv");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 401);
  EXPECT_EQ(Footfall(), 35 + 40);
}

}  // namespace
}  // namespace storepulse::test_support
