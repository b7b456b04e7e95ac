// ConnectorIngest: a connector's events go through the one validator and writer, answered per
// source record; its state is kept only once its events are stored.
#include "edge/connectors/connector_ingest.h"

#include <gtest/gtest.h>

#include "common/time_util.h"
#include "tests/connectors/connector_test_util.h"
#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

using nlohmann::json;

// Maps a body "N" to N footfall events of one record each (record i: sensor "door", in = i);
// record 1 is skipped, a body "bad" is refused whole, "deny" unauthenticated. It counts the
// requests in its state, so a test sees what was kept.
class CountingConnector final : public Connector {
 public:
  std::string_view name() const override { return "counting"; }
  common::StatusOr<ConnectorOutput> Map(const ConnectorRequest& request) const override {
    if (request.body == "bad") return common::InvalidArgument("not a counting body");
    if (request.body == "deny") return common::PermissionDenied("signature does not match");
    ConnectorOutput out;
    const int n = std::stoi(std::string(request.body));
    for (int i = 0; i < n; ++i) {
      const std::string source = "record " + std::to_string(i);
      if (i == 1) {
        out.skipped.push_back({static_cast<size_t>(i), source, "training mode"});
        continue;
      }
      json event = {{"id", "c-" + std::to_string(i)}, {"type", "footfall"},
                    {"ts", "2026-12-04T10:00:00Z"}, {"sensor", "door"}, {"period_s", 900},
                    {"in", i}, {"out", 0}};
      if (i == 2) event["in"] = -5;  // the validator's to reject, not the connector's
      out.events.push_back({static_cast<size_t>(i), source, event});
    }
    std::optional<std::string> seen = request.state("requests");
    out.state["requests"] = std::to_string(seen ? std::stoi(*seen) + 1 : 1);
    return out;
  }
};

class ConnectorIngestTest : public ::testing::Test {
 protected:
  ConnectorAnswer Run(std::string_view body) {
    ConnectorRequest request;
    request.body = body;
    request.store = "S1";
    request.zone = &zone_;
    return pipeline_.runner.Run(connector_, std::move(request));
  }

  test_support::TempDir dir_;
  common::TimeZone zone_ = *common::TimeZone::Load("UTC");
  common::FakeClock clock_{1796378400000};  // 2026-12-04T10:00:00Z
  test_util::IngestPipeline pipeline_{dir_.path(), zone_, clock_};
  CountingConnector connector_;
};

TEST_F(ConnectorIngestTest, AnswersPerSourceRecordAndStoresOnlyGoodEvents) {
  ConnectorAnswer answer = Run("4");
  EXPECT_EQ(answer.http_status, 200);
  EXPECT_EQ(answer.body["events"], 3);
  EXPECT_EQ(answer.body["accepted"], 2);  // records 0 and 3
  EXPECT_EQ(answer.body["duplicates"], 0);
  ASSERT_EQ(answer.body["rejected"].size(), 1u);
  EXPECT_EQ(answer.body["rejected"][0]["index"], 2);
  EXPECT_EQ(answer.body["rejected"][0]["source"], "record 2");
  EXPECT_EQ(answer.body["rejected"][0]["id"], "c-2");
  EXPECT_NE(answer.body["rejected"][0]["error"].get<std::string>().find("'in'"),
            std::string::npos)
      << answer.body.dump();
  ASSERT_EQ(answer.body["skipped"].size(), 1u);
  EXPECT_EQ(answer.body["skipped"][0],
            json({{"index", 1}, {"source", "record 1"}, {"reason", "training mode"}}));
  EXPECT_EQ(pipeline_.writer.info().last_seq, 2);
}

TEST_F(ConnectorIngestTest, ARequestSentAgainIsAnsweredAsDuplicates) {
  ASSERT_EQ(Run("4").body["accepted"], 2);
  ConnectorAnswer again = Run("4");
  EXPECT_EQ(again.body["accepted"], 0);
  EXPECT_EQ(again.body["duplicates"], 2);
  EXPECT_EQ(pipeline_.writer.info().last_seq, 2);
}

TEST_F(ConnectorIngestTest, KeepsStateBetweenRequestsOnlyOnceStored) {
  Run("1");
  Run("1");
  EXPECT_EQ(**pipeline_.state->Get("counting", "requests"), "2");
  EXPECT_FALSE(pipeline_.state->Get("other", "requests")->has_value());  // per connector
  Run("bad");  // refused whole: nothing kept
  EXPECT_EQ(**pipeline_.state->Get("counting", "requests"), "2");
}

TEST(ConnectorStateTest, ForgetsWhatWasNotWrittenFor400DaysSoTheFileStaysBounded) {
  test_support::TempDir dir;
  auto state = std::move(ConnectorState::Open(dir.path())).value();
  const int64_t day = 86'400'000;
  const int64_t t0 = 1796378400000;  // 2026-12-04T10:00:00Z
  ASSERT_TRUE(state->Put("shopify", {{"order:1", "web"}}, t0).ok());
  ASSERT_TRUE(state->Put("shopify", {{"order:2", "store"}}, t0 + 100 * day).ok());
  // 400 days after order 1, not yet forgotten (strictly older only) — and the daily pass ran.
  ASSERT_TRUE(state->Put("axis", {{"door", "{}"}}, t0 + 400 * day).ok());
  EXPECT_TRUE(state->Get("shopify", "order:1")->has_value());
  // Half a day later: no pass yet (once a day), though order 1 is now older than 400 days.
  ASSERT_TRUE(state->Put("axis", {{"door", "{}"}}, t0 + 400 * day + day / 2).ok());
  EXPECT_TRUE(state->Get("shopify", "order:1")->has_value());
  // A day after the last pass: order 1 goes, order 2 (300 days) and the counter stay.
  ASSERT_TRUE(state->Put("axis", {{"door", "{}"}}, t0 + 401 * day).ok());
  EXPECT_FALSE(state->Get("shopify", "order:1")->has_value());
  EXPECT_EQ(**state->Get("shopify", "order:2"), "store");
  EXPECT_TRUE(state->Get("axis", "door")->has_value());
}

TEST_F(ConnectorIngestTest, ARequestRefusedWholeIs400Or401WithItsReason) {
  ConnectorAnswer bad = Run("bad");
  EXPECT_EQ(bad.http_status, 400);
  EXPECT_EQ(bad.body, json({{"error", "not a counting body"}}));
  EXPECT_EQ(Run("deny").http_status, 401);
  EXPECT_EQ(pipeline_.writer.info().last_seq, 0);
}

TEST_F(ConnectorIngestTest, CountsWhatEachConnectorDidForTheMetrics) {
  EXPECT_TRUE(pipeline_.runner.Counts().empty());
  Run("4");
  Run("4");
  Run("bad");
  const ConnectorCounts c = pipeline_.runner.Counts().at("counting");
  EXPECT_EQ(c.requests, 3);
  EXPECT_EQ(c.refused, 1);
  EXPECT_EQ(c.accepted, 2);
  EXPECT_EQ(c.duplicates, 2);
  EXPECT_EQ(c.rejected, 2);  // record 2, twice
  EXPECT_EQ(c.skipped, 2);   // record 1, twice
  EXPECT_EQ(c.last_request_ms, 1796378400000);
}

TEST_F(ConnectorIngestTest, SplitsALargeRequestIntoBatchesWithinTheIngestLimits) {
  ConnectorAnswer answer = Run("25000");  // over the 10,000-event batch limit
  EXPECT_EQ(answer.http_status, 200) << answer.body.dump().substr(0, 300);
  EXPECT_EQ(answer.body["events"], 24999);
  EXPECT_EQ(answer.body["accepted"], 24998);
  EXPECT_EQ(answer.body["rejected"].size(), 1u);
}

}  // namespace
}  // namespace storepulse::edge
