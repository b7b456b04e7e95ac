// Probes of the real edge's ingest paths for the hostile-input tests: ZeroMQ requests from REQ or
// DEALER producers with a deadline, POSTs sent in parallel, and the daemon's peak memory. Each
// function opens its own sockets; safe to call from several threads.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>
#include <zmq.hpp>

#include <gtest/gtest.h>

#include "tests/support/nodes.h"
#include "tests/support/peak_rss.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {

// A fixture with one edge of its own (store S1, no replication), started before each test and
// stopped after it, its clean exit checked. `Base`: ::testing::Test or a TestWithParam.
template <typename Base = ::testing::Test>
class LoneEdgeTest : public Base {
 protected:
  void SetUp() override {
    edge_ =
        std::make_unique<EdgeNode>(EdgeNode::Options{"S1", "Europe/Paris", dir_.File("edge"), {}});
    ASSERT_TRUE(edge_->Start());
  }
  void TearDown() override {
    if (edge_->Running()) {
      EXPECT_EQ(edge_->Stop(), 0) << edge_->Log();
    }
  }

  TempDir dir_;
  std::unique_ptr<EdgeNode> edge_;
};

// Sends `payload` as one batch from a fresh REQ or DEALER socket and returns the edge's decoded
// msgpack reply, or nothing when no reply came within `deadline`.
std::optional<nlohmann::json> ZmqRequest(
    const std::string& endpoint, const std::string& payload, zmq::socket_type type,
    std::chrono::milliseconds deadline = std::chrono::seconds(20));

// POSTs each body to /api/v1/events at once, one connection per body; the replies in order
// (a missing reply is status 0).
std::vector<PostReply> PostInParallel(int port, const std::vector<const std::string*>& bodies);

}  // namespace storepulse::test_support
