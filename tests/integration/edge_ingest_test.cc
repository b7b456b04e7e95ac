// The real storepulse-edge on loopback: every ingest path, duplicates, hostile input, the bearer
// token and the disk floor.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <httplib.h>
#include <zmq.hpp>

#include "common/event_codec.h"
#include "common/time_util.h"
#include "tests/integration/test_events.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

const std::string kAllTime = "/api/v1/kpi?from=2000-01-01&to=2100-01-01";

nlohmann::json Totals(int port) {
  auto kpi = GetJson(port, kAllTime);
  EXPECT_TRUE(kpi.has_value());
  return kpi ? (*kpi)["rows"][0] : nlohmann::json();
}

// Sends one msgpack batch on a fresh DEALER and returns the decoded reply (bounded wait).
std::optional<nlohmann::json> ZmqRequest(const std::string& endpoint, const std::string& payload,
                                         zmq::socket_type type = zmq::socket_type::dealer) {
  zmq::context_t context;
  zmq::socket_t socket(context, type);
  socket.set(zmq::sockopt::linger, 0);
  socket.connect(endpoint);
  if (type == zmq::socket_type::dealer) socket.send(zmq::message_t(), zmq::send_flags::sndmore);
  socket.send(zmq::buffer(payload));
  zmq::pollitem_t items[] = {{socket.handle(), 0, ZMQ_POLLIN, 0}};
  if (zmq::poll(items, 1, std::chrono::seconds(20)) == 0) return std::nullopt;
  zmq::message_t reply;
  if (type == zmq::socket_type::dealer) (void)socket.recv(reply);  // empty delimiter
  (void)socket.recv(reply);
  auto bytes = static_cast<const uint8_t*>(reply.data());
  return nlohmann::json::from_msgpack(bytes, bytes + reply.size(), true, false);
}

class EdgeIngestTest : public ::testing::Test {
 protected:
  void StartEdge(std::vector<std::string> extra_args = {}) {
    edge_ = std::make_unique<EdgeNode>(
        EdgeNode::Options{"S1", "Europe/Paris", dir_.File("edge"), std::move(extra_args)});
    ASSERT_TRUE(edge_->Start());
  }
  void TearDown() override {
    if (edge_ && edge_->Running()) {
      EXPECT_EQ(edge_->Stop(), 0) << edge_->Log();
    }
  }
  TempDir dir_;
  std::unique_ptr<EdgeNode> edge_;
};

TEST_F(EdgeIngestTest, AcceptsJsonArraysAndJsonLinesOverHttp) {
  StartEdge();
  auto events = Sales("http", 4);
  std::string array = "[" + EncodeJsonEvent(events[0]) + "," + EncodeJsonEvent(events[1]) + "]";
  auto reply = PostBody(edge_->http_port(), "/api/v1/events", array);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body["accepted"], 2);
  reply = PostBody(edge_->http_port(), "/api/v1/events",
                   common::EncodeJsonLines({events[2], events[3]}));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->body["accepted"], 2);
  nlohmann::json totals = Totals(edge_->http_port());
  EXPECT_EQ(totals["transactions"], 4);
  EXPECT_EQ(totals["gross_sales"], 100 + 101 + 102 + 103);
}

TEST_F(EdgeIngestTest, AcceptsMsgpackOverZeroMqFromDealerAndReq) {
  StartEdge();
  auto reply = ZmqRequest(edge_->ingest_endpoint(), common::EncodeMsgpackBatch(Sales("zd", 3)));
  ASSERT_TRUE(reply);
  EXPECT_EQ((*reply)["accepted"], 3);
  reply = ZmqRequest(edge_->ingest_endpoint(), common::EncodeMsgpackBatch(Sales("zr", 2)),
                     zmq::socket_type::req);
  ASSERT_TRUE(reply);
  EXPECT_EQ((*reply)["accepted"], 2);
  EXPECT_EQ(Totals(edge_->http_port())["transactions"], 5);
}

TEST_F(EdgeIngestTest, SameBatchSentTwiceCountsOnce) {
  StartEdge();
  std::string batch = common::EncodeJsonLines(Sales("dup", 10));
  auto first = PostBody(edge_->http_port(), "/api/v1/events", batch);
  auto second = PostBody(edge_->http_port(), "/api/v1/events", batch);
  auto third = ZmqRequest(edge_->ingest_endpoint(), common::EncodeMsgpackBatch(Sales("dup", 10)));
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->body["accepted"], 10);
  EXPECT_EQ(second->body["accepted"], 0);
  EXPECT_EQ(second->body["duplicates"], 10);
  EXPECT_EQ((*third)["duplicates"], 10);
  EXPECT_EQ(Totals(edge_->http_port())["transactions"], 10);
}

TEST_F(EdgeIngestTest, HostileInputGetsClearErrorsAndTheDaemonStaysUp) {
  StartEdge();
  std::string now = "\"" + common::FormatRfc3339Utc(NowMs() - 60'000) + "\"";
  std::string sale = R"({"id":"h1","type":"sale","ts":)" + now +
                     R"(,"txn":"t","lines":[{"sku":"A","qty":1,"unit_price":100}]})";
  std::vector<std::string> bad_bodies = {
      R"([{"id":"x1","type":"sale","ts":)",                          // truncated JSON array
      R"({"id":"x2","type":"sale","ts":"yesterday","lines":[]})",      // wrong types/values
      R"({"id":"x3","type":"sale","ts":)" + now +
          R"(,"txn":"t","lines":[{"sku":"A","qty":1e30,"unit_price":1}]})",  // huge number
      R"({"id":"x4","type":"sale","ts":)" + now +
          R"(,"txn":"t","lines":[{"sku":"A","qty":-3,"unit_price":1}]})",    // negative qty
      R"({"id":"x5","type":"sale","ts":)" + now + R"(,"txn":")" + std::string(2 << 20, 'x') +
          R"(","lines":[{"sku":"A","qty":1,"unit_price":1}]})",              // 2 MB string
      R"({"id":"x6","type":"teleport","ts":)" + now + "}",               // unknown type
      R"({"id":"x7","type":"sale","ts":99999999999999999999,"txn":"t","lines":[]})",
  };
  for (const std::string& body : bad_bodies) {
    auto reply = PostBody(edge_->http_port(), "/api/v1/events", body);
    ASSERT_TRUE(reply) << body.substr(0, 80);
    if (reply->status == 200) {
      ASSERT_EQ(reply->body["rejected"].size(), 1u) << body.substr(0, 80);
      EXPECT_FALSE(reply->body["rejected"][0]["error"].get<std::string>().empty());
      EXPECT_EQ(reply->body["accepted"], 0);
    } else {
      EXPECT_EQ(reply->status, 400) << body.substr(0, 80);
      EXPECT_TRUE(reply->body.contains("error"));
    }
  }
  std::string too_many;
  for (int i = 0; i < 10'001; ++i) too_many += sale + "\n";
  auto reply = PostBody(edge_->http_port(), "/api/v1/events", too_many);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 413);
  EXPECT_NE(reply->body["error"].get<std::string>().find("10000"), std::string::npos)
      << reply->body.dump();
  reply = PostBody(edge_->http_port(), "/api/v1/events", std::string(17 << 20, '['));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 413);  // over the 16 MiB batch limit: refused before parsing

  std::mt19937 random(42);
  std::string junk(4096, '\0');
  for (char& c : junk) c = static_cast<char>(random());
  auto zmq_reply = ZmqRequest(edge_->ingest_endpoint(), junk);
  ASSERT_TRUE(zmq_reply);
  EXPECT_TRUE(zmq_reply->contains("error"));
  EXPECT_EQ((*zmq_reply)["accepted"], 0);

  // After all that, the edge still takes a good event, and stored nothing bad.
  reply = PostBody(edge_->http_port(), "/api/v1/events", sale);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->body["accepted"], 1);
  EXPECT_EQ(Totals(edge_->http_port())["transactions"], 1);
  EXPECT_TRUE(edge_->Running());
}

TEST_F(EdgeIngestTest, RawTcpGarbageOnTheZeroMqPortDoesNotHurt) {
  StartEdge();
  std::string endpoint = edge_->ingest_endpoint();
  int port = std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
  for (int i = 0; i < 5; ++i) {
    httplib::Client client("127.0.0.1", port);  // speaks HTTP, not ZMTP: the peer is dropped
    client.set_connection_timeout(2, 0);
    client.set_read_timeout(2, 0);
    (void)client.Post("/", std::string(100'000, 'z'), "text/plain");
  }
  auto reply = ZmqRequest(endpoint, common::EncodeMsgpackBatch(Sales("after", 1)));
  ASSERT_TRUE(reply);
  EXPECT_EQ((*reply)["accepted"], 1);
}

TEST_F(EdgeIngestTest, PostNeedsTheBearerTokenWhenOneIsConfigured) {
  std::string token_file = dir_.Write("token", "s3cret\n");
  StartEdge({"--http-token-file", token_file});
  std::string body = common::EncodeJsonLines(Sales("tok", 1));
  auto none = PostBody(edge_->http_port(), "/api/v1/events", body);
  auto wrong = PostBody(edge_->http_port(), "/api/v1/events", body, "nope");
  auto right = PostBody(edge_->http_port(), "/api/v1/events", body, "s3cret");
  ASSERT_TRUE(none && wrong && right);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(right->status, 200);
  EXPECT_EQ(right->body["accepted"], 1);
}

TEST_F(EdgeIngestTest, RefusesNewEventsWhenTheDiskIsBelowTheFloor) {
  // A floor above any real disk's free space: every batch meets a "full" disk.
  StartEdge({"--min-free-bytes", "18000000000000000000", "--min-free-percent", "100"});
  auto reply = PostBody(edge_->http_port(), "/api/v1/events",
                        common::EncodeJsonLines(Sales("full", 3)));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 507);
  EXPECT_NE(reply->body["error"].get<std::string>().find("disk nearly full"), std::string::npos);
  EXPECT_EQ(reply->body["accepted"], 0);
  auto zmq_reply =
      ZmqRequest(edge_->ingest_endpoint(), common::EncodeMsgpackBatch(Sales("fullz", 2)));
  ASSERT_TRUE(zmq_reply);
  EXPECT_NE((*zmq_reply)["error"].get<std::string>().find("disk nearly full"), std::string::npos);
  auto status = GetJson(edge_->http_port(), "/api/v1/status");
  ASSERT_TRUE(status);
  EXPECT_EQ((*status)["last_seq"], 0);
  EXPECT_EQ((*status)["disk_accepting"], false);
  EXPECT_EQ(Totals(edge_->http_port())["transactions"], 0);  // KPIs still answer
}

}  // namespace
}  // namespace storepulse::test_support
