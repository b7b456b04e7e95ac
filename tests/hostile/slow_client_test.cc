// Slow clients against both daemons' HTTP servers (issue 8, failure 4): a broken tablet on another
// address opens more connections than the daemon has workers and sends its requests a byte at a
// time, forever. /healthz, the API and POST /api/v1/events must keep answering promptly; the
// connections over the per-client cap are told why they are refused; the held ones are closed
// when their request deadline passes.
#include <gtest/gtest.h>
#include <httplib.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/event_codec.h"
#include "tests/hostile/raw_http_client.h"
#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"
#include "tests/support/http_probe.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kSlowConnections = 24;          // more than any default pool (8, 16 workers)
constexpr const char* kTablet = "127.0.0.2";  // the broken tablet: another loopback address
// How long a request's line and headers may take (common/http/http_limits.h), and a margin.
constexpr seconds kRequestDeadline{10};
constexpr seconds kMargin{4};

// Connections from the tablet, each with a request that never ends: a byte every 500 ms (each
// read sees data well within any read timeout). Stops and closes them when destroyed.
class SlowLoris {
 public:
  explicit SlowLoris(int port) {
    for (int i = 0; i < kSlowConnections; ++i) {
      auto connection = RawConnection::Open(port, kTablet);
      EXPECT_TRUE(connection) << "cannot connect from " << kTablet;
      if (!connection) return;
      connection->Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      connections_.push_back(std::move(connection));
    }
    trickle_ = std::thread([this] {
      std::unique_lock<std::mutex> lock(mutex_);
      while (!cv_.wait_for(lock, milliseconds(500), [this] { return stop_; })) {
        for (auto& connection : connections_) (void)connection->Send("z");
      }
    });
  }
  ~SlowLoris() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    trickle_.join();
  }
  // Reads what each connection got, in turn; only while the trickle runs (Send and reads may
  // overlap on one socket). How many were answered 503 naming the per-client cap, and how many
  // were closed by the daemon by `until`.
  void Tally(std::chrono::steady_clock::time_point until, int* refused, int* closed) {
    for (auto& connection : connections_) {
      const auto left =
          std::chrono::duration_cast<milliseconds>(until - std::chrono::steady_clock::now());
      auto response = connection->ReadResponse(std::max(left, milliseconds(1)));
      if (response && response->status == 503 &&
          response->body.find("connections from 127.0.0.2") != std::string::npos) {
        ++*refused;
      }
      const auto rest =
          std::chrono::duration_cast<milliseconds>(until - std::chrono::steady_clock::now());
      if (connection->WaitClosed(std::max(rest, milliseconds(1)))) ++*closed;
    }
  }

 private:
  std::vector<std::unique_ptr<RawConnection>> connections_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread trickle_;
};

// The value of a counter in a Prometheus text; -1 when absent.
int64_t Counter(const std::string& metrics, const std::string& name) {
  const size_t at = metrics.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stoll(metrics.substr(at + name.size() + 2));
}

// GET `path` must answer 200 within 3 s.
void ExpectPromptGet(int port, const std::string& path) {
  const auto start = std::chrono::steady_clock::now();
  auto reply = HttpGet("127.0.0.1", port, path, seconds(3));
  ASSERT_TRUE(reply) << "GET " << path << " got no answer within 3 s";
  EXPECT_EQ(reply->status, 200) << path << ": " << reply->body;
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(3));
}

TEST(SlowClientTest, SlowClientsDoNotShutTheEdgeOut) {
  TempDir dir;
  EdgeNode edge({"S1", "Europe/Paris", dir.File("edge"), {}});
  ASSERT_TRUE(edge.Start());
  const auto attack = std::chrono::steady_clock::now();
  SlowLoris tablet(edge.http_port());

  ExpectPromptGet(edge.http_port(), "/healthz");
  ExpectPromptGet(edge.http_port(), "/");
  httplib::Client till("127.0.0.1", edge.http_port());
  till.set_connection_timeout(3, 0);
  till.set_read_timeout(3, 0);
  for (int i = 0; i < 3; ++i) {  // a till keeps posting
    auto posted =
        till.Post("/api/v1/events", common::EncodeJsonLines(Sales("till" + std::to_string(i), 2)),
                  "application/x-ndjson");
    ASSERT_TRUE(posted) << "POST /api/v1/events got no answer within 3 s";
    EXPECT_EQ(posted->status, 200) << posted->body;
  }

  int refused = 0, closed = 0;
  tablet.Tally(attack + kRequestDeadline + kMargin, &refused, &closed);
  EXPECT_GT(refused, 0) << "no connection over the per-client cap was told why";
  EXPECT_EQ(closed, kSlowConnections) << "requests outlived their deadline";
  auto metrics = HttpGet("127.0.0.1", edge.http_port(), "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_GE(Counter(metrics->body, "storepulse_edge_http_connections_refused_total"), refused);
  EXPECT_GE(Counter(metrics->body, "storepulse_edge_http_requests_cut_total"),
            kSlowConnections - refused);
  EXPECT_NE(edge.Log().find("connections refused over the per-client cap"), std::string::npos);
}

TEST(SlowClientTest, SlowClientsDoNotShutCentralOut) {
  Chain chain({});
  ASSERT_TRUE(chain.StartCentral());
  const int port = chain.central().http_port();
  const auto attack = std::chrono::steady_clock::now();
  SlowLoris tablet(port);

  ExpectPromptGet(port, "/healthz");
  ExpectPromptGet(port, "/api/v1/fleet");
  ExpectPromptGet(port, "/api/v1/kpi?scope=network");

  int refused = 0, closed = 0;
  tablet.Tally(attack + kRequestDeadline + kMargin, &refused, &closed);
  EXPECT_GT(refused, 0);
  EXPECT_EQ(closed, kSlowConnections);
  auto metrics = HttpGet("127.0.0.1", port, "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_GE(Counter(metrics->body, "storepulse_central_http_connections_refused_total"), refused);
}

}  // namespace
}  // namespace storepulse::test_support
