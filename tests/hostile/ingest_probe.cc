#include "tests/hostile/ingest_probe.h"

#include <fstream>
#include <thread>

namespace storepulse::test_support {

std::optional<nlohmann::json> ZmqRequest(const std::string& endpoint, const std::string& payload,
                                         zmq::socket_type type,
                                         std::chrono::milliseconds deadline) {
  zmq::context_t context;
  zmq::socket_t socket(context, type);
  socket.set(zmq::sockopt::linger, 0);
  socket.connect(endpoint);
  const bool dealer = type == zmq::socket_type::dealer;
  if (dealer) socket.send(zmq::message_t(), zmq::send_flags::sndmore);  // REQ's delimiter
  socket.send(zmq::buffer(payload));
  zmq::pollitem_t items[] = {{socket.handle(), 0, ZMQ_POLLIN, 0}};
  if (zmq::poll(items, 1, deadline) == 0) return std::nullopt;
  zmq::message_t reply;
  if (dealer) (void)socket.recv(reply);  // the empty delimiter
  (void)socket.recv(reply);
  const auto* bytes = static_cast<const uint8_t*>(reply.data());
  return nlohmann::json::from_msgpack(bytes, bytes + reply.size(), true, false);
}

std::vector<PostReply> PostInParallel(int port, const std::vector<const std::string*>& bodies) {
  std::vector<PostReply> replies(bodies.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < bodies.size(); ++i) {
    threads.emplace_back([&, i] {
      auto reply = PostBody(port, "/api/v1/events", *bodies[i]);
      if (reply) replies[i] = std::move(*reply);
    });
  }
  for (std::thread& thread : threads) thread.join();
  return replies;
}

}  // namespace storepulse::test_support
