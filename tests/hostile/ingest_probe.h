// Probes of the real edge's ingest paths for the hostile-input tests: ZeroMQ requests from REQ or
// DEALER producers with a deadline, POSTs sent in parallel, and the daemon's peak memory. Each
// function opens its own sockets; safe to call from several threads.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "tests/support/nodes.h"
#include "tests/support/peak_rss.h"

namespace storepulse::test_support {

// Sends `payload` as one batch from a fresh REQ or DEALER socket and returns the edge's decoded
// msgpack reply, or nothing when no reply came within `deadline`.
std::optional<nlohmann::json> ZmqRequest(
    const std::string& endpoint, const std::string& payload, zmq::socket_type type,
    std::chrono::milliseconds deadline = std::chrono::seconds(20));

// POSTs each body to /api/v1/events at once, one connection per body; the replies in order
// (a missing reply is status 0).
std::vector<PostReply> PostInParallel(int port, const std::vector<const std::string*>& bodies);

}  // namespace storepulse::test_support
