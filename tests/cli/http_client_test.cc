#include "cli/http_client.h"

#include <gtest/gtest.h>

#include "tests/support/free_port.h"

namespace storepulse::cli {
namespace {

TEST(HttpClientTest, QueryStringEncodesValuesAndSkipsEmptyOnes) {
  EXPECT_EQ(QueryString({{"from", "2026-11-22T10:00:00+01:00"}, {"to", ""}, {"by", "day"}}),
            "?from=2026-11-22T10%3A00%3A00%2B01%3A00&by=day");
  EXPECT_EQ(QueryString({{"from", ""}}), "");
  EXPECT_EQ(PercentEncode("a b&c=d/é~"), "a%20b%26c%3Dd%2F%C3%A9~");
}

TEST(HttpClientTest, RefusesUrlsThatAreNotServers) {
  EXPECT_EQ(HttpClient::Create(Peer{"edge", "127.0.0.1:8601"}).status().code(),
            common::StatusCode::kInvalidArgument);
  EXPECT_EQ(HttpClient::Create(Peer{"edge", "ftp://host"}).status().code(),
            common::StatusCode::kInvalidArgument);
  EXPECT_EQ(HttpClient::Create(Peer{"edge", "http://"}).status().code(),
            common::StatusCode::kInvalidArgument);
  EXPECT_EQ(HttpClient::Create(Peer{"edge", "http://host/x?y"}).status().code(),
            common::StatusCode::kInvalidArgument);
  EXPECT_TRUE(HttpClient::Create(Peer{"edge", "http://127.0.0.1:8601/"}).ok());
  EXPECT_TRUE(HttpClient::Create(Peer{"edge", "http://store-12.example/storepulse"}).ok());
}

TEST(HttpClientTest, SaysWhatToCheckWhenNothingListens) {
  const int port = test_support::FreeTcpPort();
  ASSERT_GT(port, 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  auto client = HttpClient::Create(Peer{"edge", url, "storepulse-edge"});
  ASSERT_TRUE(client.ok());
  auto answer = (*client)->GetJson("/healthz");
  EXPECT_EQ(answer.status().code(), common::StatusCode::kUnavailable);
  EXPECT_EQ(answer.status().message(),
            "cannot reach the edge at " + url +
                ": connection refused — is storepulse-edge running? (systemctl status "
                "storepulse-edge)");
}

TEST(HttpClientTest, HttpErrorsBecomeStatusesWithTheServersReason) {
  const Peer peer{"edge", "http://e:1"};
  const common::Status bad = StatusFromHttp(peer, 400, R"({"error":"from: not a date"})");
  EXPECT_EQ(bad.code(), common::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message(), "the edge at http://e:1 answered HTTP 400: from: not a date");
  EXPECT_EQ(StatusFromHttp(peer, 401, "{}").code(), common::StatusCode::kPermissionDenied);
  EXPECT_EQ(StatusFromHttp(peer, 507, "{}").code(), common::StatusCode::kResourceExhausted);
  EXPECT_EQ(StatusFromHttp(peer, 503, "busy").code(), common::StatusCode::kInternal);
  EXPECT_EQ(HttpErrorText("plain text"), "plain text");
}

}  // namespace
}  // namespace storepulse::cli
