#include "tests/support/wire_client.h"

namespace storepulse::test_support {

WireClient::WireClient(const std::string& endpoint, const std::string& central_public_key,
                       const common::CurveKeyPair& keys)
    : socket_(context_, zmq::socket_type::dealer) {
  socket_.set(zmq::sockopt::curve_serverkey, central_public_key);
  socket_.set(zmq::sockopt::curve_publickey, keys.public_key);
  socket_.set(zmq::sockopt::curve_secretkey, keys.secret_key);
  socket_.set(zmq::sockopt::linger, 0);
  socket_.connect(endpoint);
}

void WireClient::Send(const common::wire::Message& message) {
  SendRaw(common::wire::Encode(message));
}

void WireClient::SendRaw(const std::string& bytes) { socket_.send(zmq::buffer(bytes)); }

std::optional<common::wire::Message> WireClient::Receive(std::chrono::milliseconds timeout) {
  zmq::pollitem_t items[] = {{socket_.handle(), 0, ZMQ_POLLIN, 0}};
  if (zmq::poll(items, 1, timeout) == 0) return std::nullopt;
  zmq::message_t frame;
  if (!socket_.recv(frame)) return std::nullopt;
  auto message = common::wire::Decode(frame.to_string_view());
  if (!message.ok()) return std::nullopt;
  return *message;
}

}  // namespace storepulse::test_support
