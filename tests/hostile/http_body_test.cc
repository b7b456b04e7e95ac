// Request bodies a daemon must refuse without holding them in memory (issue 8, failure 3): a
// chunked body of hundreds of MiB, a Content-Length of a GiB, a body on a route that takes none.
// The token is checked before any byte of body is read; memory is the daemon's peak RSS (VmHWM).
#include <gtest/gtest.h>

#include <thread>

#include "common/event_codec.h"
#include "tests/hostile/raw_http_client.h"
#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr uint64_t kHugeBody = uint64_t{512} << 20;  // 32 times the 16 MiB batch limit
// What a refused body may add to a daemon's peak RSS: the 16 MiB batch limit, once, with room
// for its buffer's growth — never the body sent.
constexpr int64_t kRssAllowance = test_support::RssBound(int64_t{64} << 20);
constexpr const char* kToken = "s3cret";

struct Attempt {
  std::optional<RawResponse> response;
  milliseconds answered_after{0};
  uint64_t body_sent = 0;
};

// Sends `head`, then streams a body of `total` bytes (chunked, or as is) from a second thread
// while this one waits for the answer; the sender stops once the daemon stops taking the body.
Attempt StreamBody(int port, const std::string& head, uint64_t total, bool chunked) {
  Attempt attempt;
  auto connection = RawConnection::Open(port);
  if (!connection || !connection->Send(head)) return attempt;
  std::atomic<bool> stop{false};
  std::thread sender([&] {
    attempt.body_sent = chunked ? connection->SendChunked(total, 1 << 20, stop)
                                : connection->SendRaw(total, 1 << 20, stop);
  });
  const auto start = std::chrono::steady_clock::now();
  attempt.response = connection->ReadResponse(seconds(30));
  attempt.answered_after =
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
  stop = true;
  sender.join();
  return attempt;
}

std::string PostHead(const std::string& path, const std::string& framing,
                     const std::string& token = "") {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-ndjson\r\n" +
         (token.empty() ? "" : "Authorization: Bearer " + token + "\r\n") + framing + "\r\n";
}

std::string ErrorOf(const std::optional<RawResponse>& response) {
  if (!response) return "";
  auto body = nlohmann::json::parse(response->body, nullptr, false);
  return body.is_object() && body.contains("error") ? body["error"].get<std::string>() : "";
}

class EdgeBodyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    edge_ = std::make_unique<EdgeNode>(
        EdgeNode::Options{"S1",
                          "Europe/Paris",
                          dir_.File("edge"),
                          {"--http-token-file", dir_.Write("token", std::string(kToken) + "\n")}});
    ASSERT_TRUE(edge_->Start());
    baseline_rss_ = PeakRssBytes(edge_->pid());
    ASSERT_GT(baseline_rss_, 0);
  }
  void TearDown() override {
    if (edge_ && edge_->Running()) {
      EXPECT_EQ(edge_->Stop(), 0) << edge_->Log();
    }
  }
  // The edge still takes a good batch, and its peak RSS grew by less than the allowance.
  void ExpectUnharmed() {
    auto reply = PostBody(edge_->http_port(), "/api/v1/events",
                          common::EncodeJsonLines(Sales("after", 2)), kToken);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->body["accepted"], 2);
    const int64_t peak = PeakRssBytes(edge_->pid());
    EXPECT_LT(peak - baseline_rss_, kRssAllowance)
        << "peak RSS " << (peak >> 20) << " MiB, " << (baseline_rss_ >> 20) << " MiB at start";
  }
  TempDir dir_;
  std::unique_ptr<EdgeNode> edge_;
  int64_t baseline_rss_ = 0;
};

TEST_F(EdgeBodyTest, ChunkedBodyWithoutTheTokenIsRefusedBeforeItIsRead) {
  Attempt attempt =
      StreamBody(edge_->http_port(), PostHead("/api/v1/events", "Transfer-Encoding: chunked\r\n"),
                 kHugeBody, true);
  ASSERT_TRUE(attempt.response) << "no answer; " << (attempt.body_sent >> 20) << " MiB sent";
  EXPECT_EQ(attempt.response->status, 401) << attempt.response->body;
  EXPECT_LT(attempt.answered_after, seconds(2)) << "answered only after the body was read";
  ExpectUnharmed();
}

TEST_F(EdgeBodyTest, ChunkedBodyOverTheLimitIsRefusedWith413AndBoundedMemory) {
  Attempt attempt = StreamBody(edge_->http_port(),
                               PostHead("/api/v1/events", "Transfer-Encoding: chunked\r\n", kToken),
                               kHugeBody, true);
  ASSERT_TRUE(attempt.response) << "no answer; " << (attempt.body_sent >> 20) << " MiB sent";
  EXPECT_EQ(attempt.response->status, 413) << attempt.response->body;
  EXPECT_NE(ErrorOf(attempt.response).find("16777216"), std::string::npos)
      << attempt.response->body;
  EXPECT_LT(attempt.body_sent, kHugeBody) << "the edge read the whole body";
  ExpectUnharmed();
}

TEST_F(EdgeBodyTest, DeclaredGiantBodyWithoutTheTokenIsRefusedAtOnce) {
  // Token first, then size: an unauthenticated client learns nothing, and waits for nothing.
  Attempt attempt =
      StreamBody(edge_->http_port(), PostHead("/api/v1/events", "Content-Length: 1073741824\r\n"),
                 kHugeBody, false);
  ASSERT_TRUE(attempt.response) << "no answer; " << (attempt.body_sent >> 20) << " MiB sent";
  EXPECT_EQ(attempt.response->status, 401) << attempt.response->body;
  EXPECT_LT(attempt.answered_after, seconds(2));
  attempt = StreamBody(edge_->http_port(),
                       PostHead("/api/v1/events", "Content-Length: 1073741824\r\n", kToken),
                       kHugeBody, false);
  ASSERT_TRUE(attempt.response);
  EXPECT_EQ(attempt.response->status, 413) << attempt.response->body;
  EXPECT_LT(attempt.answered_after, seconds(2));
  ExpectUnharmed();
}

TEST(CentralBodyTest, BodyOnARouteThatTakesNoneIsRefusedUnread) {
  Chain chain({});
  ASSERT_TRUE(chain.StartCentral());
  const int64_t baseline = PeakRssBytes(chain.central().pid());
  Attempt attempt =
      StreamBody(chain.central().http_port(),
                 PostHead("/api/v1/fleet", "Transfer-Encoding: chunked\r\n"), kHugeBody, true);
  ASSERT_TRUE(attempt.response) << "no answer; " << (attempt.body_sent >> 20) << " MiB sent";
  EXPECT_EQ(attempt.response->status, 405) << attempt.response->body;  // a GET route
  EXPECT_NE(ErrorOf(attempt.response).find("/api/v1/fleet takes GET, HEAD, not POST"),
            std::string::npos)
      << attempt.response->body;
  EXPECT_LT(attempt.answered_after, seconds(2));
  EXPECT_LT(PeakRssBytes(chain.central().pid()) - baseline, kRssAllowance);
  EXPECT_TRUE(GetJson(chain.central().http_port(), "/api/v1/fleet").has_value());
}

}  // namespace
}  // namespace storepulse::test_support
