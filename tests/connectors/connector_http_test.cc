// POST /api/v1/connectors/<name> on the real edge: the producer token (bearer or basic auth), an
// unknown connector, what /api/v1/status and /metrics say of each connector, and
// `storepulse ingest --format <connector>` against it.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <sstream>

#include "tests/connectors/connector_test_util.h"
#include "tests/support/nodes.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

using nlohmann::json;

using edge::test_util::Fixture;

class ConnectorHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    token_file_ = dir_.Write("token", "s3cret\n");
    edge_ = std::make_unique<EdgeNode>(EdgeNode::Options{
        "S1", "Europe/Paris", dir_.File("edge"), {"--http-token-file", token_file_}});
    ASSERT_TRUE(edge_->Start());
  }
  void TearDown() override { EXPECT_EQ(edge_->Stop(), 0) << edge_->Log(); }

  httplib::Result Post(const std::string& path, const std::string& body,
                       const httplib::Headers& headers) {
    httplib::Client client("127.0.0.1", edge_->http_port());
    client.set_read_timeout(30, 0);
    return client.Post(path, headers, body, "application/xml");
  }
  std::string EdgeUrl() const { return "http://127.0.0.1:" + std::to_string(edge_->http_port()); }

  TempDir dir_;
  std::string token_file_;
  std::unique_ptr<EdgeNode> edge_;
};

TEST_F(ConnectorHttpTest, TakesTheProducerTokenAsBearerOrBasicAuthPassword) {
  const std::string basket = Fixture("poslog/basket.xml");
  auto none = Post("/api/v1/connectors/poslog", basket, {});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_NE(none->body.find("producer token"), std::string::npos) << none->body;
  auto wrong = Post("/api/v1/connectors/poslog", basket,
                    {httplib::make_basic_authentication_header("till", "nope")});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);

  auto bearer = Post("/api/v1/connectors/poslog", basket, {{"Authorization", "Bearer s3cret"}});
  ASSERT_TRUE(bearer);
  EXPECT_EQ(bearer->status, 200) << bearer->body;
  EXPECT_EQ(json::parse(bearer->body)["accepted"], 1);
  auto basic = Post("/api/v1/connectors/poslog", basket,
                    {httplib::make_basic_authentication_header("till3", "s3cret")});
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->status, 200) << basic->body;
  EXPECT_EQ(json::parse(basic->body)["duplicates"], 1);
}

TEST_F(ConnectorHttpTest, AnUnknownConnectorIsA404InJson) {
  auto reply = Post("/api/v1/connectors/posslog", "<POSLog/>", {{"Authorization", "Bearer s3cret"}});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 404);
  EXPECT_TRUE(json::parse(reply->body, nullptr, false).contains("error")) << reply->body;
}

TEST_F(ConnectorHttpTest, StatusAndMetricsSayWhatEachConnectorDid) {
  const httplib::Headers auth = {{"Authorization", "Bearer s3cret"}};
  ASSERT_TRUE(Post("/api/v1/connectors/poslog", Fixture("poslog/basket.xml"), auth));
  ASSERT_TRUE(Post("/api/v1/connectors/poslog", Fixture("poslog/skipped.xml"), auth));
  ASSERT_TRUE(Post("/api/v1/connectors/poslog", "<POSLog><Transaction>", auth));  // truncated

  auto status = GetJson(edge_->http_port(), "/api/v1/status");
  ASSERT_TRUE(status);
  const json poslog = (*status)["connectors"]["poslog"];
  EXPECT_EQ(poslog["requests"], 3);
  EXPECT_EQ(poslog["refused"], 1);
  EXPECT_EQ(poslog["accepted"], 1);
  EXPECT_GT(poslog["skipped"].get<int>(), 0);
  EXPECT_TRUE(poslog["last_request"].is_string());

  httplib::Client client("127.0.0.1", edge_->http_port());
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("storepulse_edge_connector_requests_total{connector=\"poslog\"} 3"),
            std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find(
                "storepulse_edge_connector_events_total{connector=\"poslog\",result=\"accepted\"} 1"),
            std::string::npos);
}

TEST_F(ConnectorHttpTest, TheCliSendsAFileThroughAConnectorAndListsWhatWasLeftOut) {
  const std::string file = dir_.Write("till3.xml", Fixture("poslog/two_transactions.xml"));
  auto first = RunProcess({STOREPULSE_CLI_BIN, "ingest", file, "--format", "poslog", "--edge",
                           EdgeUrl(), "--token-file", token_file_});
  ASSERT_TRUE(first.ok());
  // One good transaction, one rejected: exit 1, and the rejection names its transaction.
  EXPECT_EQ(first->exit_status, 1) << first->out << first->err;
  EXPECT_NE(first->out.find("1 accepted, 0 duplicates, 1 rejected"), std::string::npos)
      << first->out;
  EXPECT_NE(first->out.find("rejected:\n  #"), std::string::npos) << first->out;

  auto again = RunProcess({STOREPULSE_CLI_BIN, "ingest", file, "--format", "poslog", "--edge",
                           EdgeUrl(), "--token-file", token_file_, "--json"});
  ASSERT_TRUE(again.ok());
  const json answer = json::parse(again->out, nullptr, false);
  ASSERT_FALSE(answer.is_discarded()) << again->out;
  EXPECT_EQ(answer["accepted"], 0);
  EXPECT_EQ(answer["duplicates"], 1);

  auto no_token = RunProcess({STOREPULSE_CLI_BIN, "ingest", file, "--format", "poslog", "--edge",
                              EdgeUrl()});
  ASSERT_TRUE(no_token.ok());
  EXPECT_EQ(no_token->exit_status, 1);
  EXPECT_NE(no_token->err.find("HTTP 401"), std::string::npos) << no_token->err;
}

TEST(ConnectorCliTest, SendsAnExportThroughTheEdgesCsvMappingWithMapping) {
  TempDir dir;
  const std::string mapping = dir.Write("door_counts.conf", Fixture("csv/door_counts.conf"));
  EdgeNode edge(
      EdgeNode::Options{"S1", "Europe/Paris", dir.File("edge"), {"--csv-mapping", mapping}});
  ASSERT_TRUE(edge.Start());
  const std::string url = "http://127.0.0.1:" + std::to_string(edge.http_port());
  const std::string file = dir.Write("doors.csv", Fixture("csv/door_counts.csv"));
  auto run = RunProcess({STOREPULSE_CLI_BIN, "ingest", file, "--format", "csv", "--mapping",
                         "door_counts", "--edge", url, "--json"});
  ASSERT_TRUE(run.ok());
  const json answer = json::parse(run->out, nullptr, false);
  ASSERT_FALSE(answer.is_discarded()) << run->out << run->err;
  EXPECT_GT(answer["accepted"].get<int>(), 0) << run->out;
  EXPECT_EQ(answer["duplicates"], 0);

  auto unknown = RunProcess(
      {STOREPULSE_CLI_BIN, "ingest", file, "--format", "csv", "--mapping", "doors", "--edge", url});
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->exit_status, 1);
  EXPECT_NE(unknown->err.find("door_counts"), std::string::npos) << unknown->err;  // the names
  EXPECT_EQ(edge.Stop(), 0) << edge.Log();
}

TEST(ConnectorCliTest, SignsAShopifyWebhookWithTheSharedSecretAsShopifyDoes) {
  TempDir dir;
  const std::string secret = dir.Write("shopify.secret", "shpss_test\n");
  EdgeNode edge(
      EdgeNode::Options{"S1", "Europe/Paris", dir.File("edge"), {"--shopify-secret-file", secret}});
  ASSERT_TRUE(edge.Start());
  const std::string url = "http://127.0.0.1:" + std::to_string(edge.http_port());
  const std::string order = dir.Write("order.json", Fixture("shopify/order_web.json"));

  auto signed_run = RunProcess({STOREPULSE_CLI_BIN, "ingest", order, "--format", "shopify",
                                "--shopify-secret-file", secret, "--edge", url, "--json"});
  ASSERT_TRUE(signed_run.ok());
  EXPECT_EQ(signed_run->exit_status, 0) << signed_run->out << signed_run->err;
  EXPECT_EQ(json::parse(signed_run->out, nullptr, false)["accepted"], 1) << signed_run->out;

  const std::string other = dir.Write("other.secret", "not the app's\n");
  auto wrong = RunProcess({STOREPULSE_CLI_BIN, "ingest", order, "--format", "shopify",
                           "--shopify-secret-file", other, "--edge", url});
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->exit_status, 1);
  EXPECT_NE(wrong->err.find("HTTP 401"), std::string::npos) << wrong->err;

  auto unsigned_run =
      RunProcess({STOREPULSE_CLI_BIN, "ingest", order, "--format", "shopify", "--edge", url});
  ASSERT_TRUE(unsigned_run.ok());
  EXPECT_EQ(unsigned_run->exit_status, 2);  // a usage error: the edge takes only signed webhooks
  EXPECT_NE(unsigned_run->err.find("--shopify-secret-file"), std::string::npos);
  EXPECT_EQ(edge.Stop(), 0) << edge.Log();
}

}  // namespace
}  // namespace storepulse::test_support
