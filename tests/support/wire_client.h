// A hand-driven edge for protocol tests: a CURVE DEALER that sends whatever wire messages (or raw
// bytes) a test wants and reads central's answers with a deadline. Owned by one thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <zmq.hpp>

#include "common/protocol/messages.h"
#include "common/transport/curve_keys.h"

namespace storepulse::test_support {

class WireClient {
 public:
  WireClient(const std::string& endpoint, const std::string& central_public_key,
             const common::CurveKeyPair& keys);
  void Send(const common::wire::Message& message);
  void SendRaw(const std::string& bytes);
  // The next message from central, or nothing after `timeout`.
  std::optional<common::wire::Message> Receive(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  zmq::context_t context_;
  zmq::socket_t socket_;
};

}  // namespace storepulse::test_support
