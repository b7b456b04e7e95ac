// FaultProxy on loopback, against plain sockets: each fault does what the network fault suite
// relies on (tests/faults/net/).
#include "tests/support/fault_proxy.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace storepulse::test_support {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// A connected pair through the proxy: `client` → proxy → `upstream` (accepted here).
class ProxiedPair : public testing::Test {
 protected:
  void SetUp() override {
    listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ASSERT_EQ(bind(listener_, reinterpret_cast<sockaddr*>(&address), length), 0);
    ASSERT_EQ(listen(listener_, 4), 0);
    ASSERT_EQ(getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length), 0);
    auto proxy = FaultProxy::Start({"", "127.0.0.1", 0, "127.0.0.1", ntohs(address.sin_port)});
    ASSERT_TRUE(proxy.ok()) << proxy.status().message();
    proxy_ = std::move(proxy).value();
    client_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    address.sin_port = htons(static_cast<uint16_t>(proxy_->port()));
    ASSERT_EQ(connect(client_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    pollfd pending{listener_, POLLIN, 0};
    ASSERT_EQ(poll(&pending, 1, 5000), 1);
    upstream_ = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    ASSERT_GE(upstream_, 0);
  }
  void TearDown() override {
    proxy_.reset();
    for (int fd : {client_, upstream_, listener_}) {
      if (fd >= 0) close(fd);
    }
  }

  static void Send(int fd, const std::string& bytes) {
    ASSERT_EQ(send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }
  // What arrives on `fd` within `timeout` (until `want` bytes, or the peer closed).
  static std::string Receive(int fd, size_t want, milliseconds timeout, bool* closed = nullptr) {
    std::string got;
    const auto deadline = Clock::now() + timeout;
    while (got.size() < want) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
      pollfd readable{fd, POLLIN, 0};
      if (left <= 0 || poll(&readable, 1, static_cast<int>(left)) != 1) break;
      char buffer[4096];
      const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) {
        if (closed) *closed = true;
        break;
      }
      got.append(buffer, static_cast<size_t>(n));
    }
    return got;
  }

  int listener_ = -1;
  int client_ = -1;
  int upstream_ = -1;
  std::unique_ptr<FaultProxy> proxy_;
};

TEST_F(ProxiedPair, PassesBothWaysAfterTheDelay) {
  proxy_->SetDelay(milliseconds(300));
  const auto start = Clock::now();
  Send(client_, "hello");
  EXPECT_EQ(Receive(upstream_, 5, milliseconds(5000)), "hello");
  EXPECT_GE(Clock::now() - start, milliseconds(300));
  Send(upstream_, "world");
  EXPECT_EQ(Receive(client_, 5, milliseconds(5000)), "world");
}

TEST_F(ProxiedPair, ForwardOnlyDropsWhatComesBack) {
  Send(client_, "ping");
  ASSERT_EQ(Receive(upstream_, 4, milliseconds(5000)), "ping");
  proxy_->SetMode(FaultProxy::Mode::kForwardOnly);
  Send(upstream_, "ack");
  EXPECT_EQ(Receive(client_, 3, milliseconds(300)), "");
  Send(client_, "more");
  EXPECT_EQ(Receive(upstream_, 4, milliseconds(5000)), "more");
  EXPECT_TRUE([&] {
    const auto deadline = Clock::now() + milliseconds(5000);
    while (Clock::now() < deadline && proxy_->stats().bytes_dropped < 3) {
      Receive(client_, 1, milliseconds(20));
    }
    return proxy_->stats().bytes_dropped == 3;
  }());
}

TEST_F(ProxiedPair, AStallHoldsTheBytesUntilItEnds) {
  proxy_->SetMode(FaultProxy::Mode::kStall);
  Send(client_, "held");
  EXPECT_EQ(Receive(upstream_, 4, milliseconds(300)), "");
  proxy_->SetMode(FaultProxy::Mode::kPass);
  EXPECT_EQ(Receive(upstream_, 4, milliseconds(5000)), "held");
}

TEST_F(ProxiedPair, ACutMidFrameDeliversHalfAndCloses) {
  proxy_->CutMidFrame();
  Send(client_, "0123456789");
  bool closed = false;
  EXPECT_EQ(Receive(upstream_, 10, milliseconds(5000), &closed), "01234");
  EXPECT_TRUE(closed);
  EXPECT_EQ(proxy_->stats().cuts, 1);
}

}  // namespace
}  // namespace storepulse::test_support
