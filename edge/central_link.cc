#include "edge/central_link.h"

#include <zmq.hpp>

namespace storepulse::edge {

namespace {

using Kind = LinkEvent::Kind;

// The DEALER's connection events, collected for TakeEvents (on the link's thread, check_event).
class Monitor : public zmq::monitor_t {
 public:
  std::vector<LinkEvent> events;

 private:
  void on_event_connected(const zmq_event_t&, const char*) override { Add(Kind::kTcpConnected); }
  void on_event_handshake_succeeded(const zmq_event_t&, const char*) override {
    Add(Kind::kHandshakeSucceeded);
  }
  void on_event_disconnected(const zmq_event_t&, const char*) override { Add(Kind::kDisconnected); }
  void on_event_handshake_failed_auth(const zmq_event_t& event, const char*) override {
    events.push_back({Kind::kKeyRefused, event.value});
  }
  void on_event_handshake_failed_no_detail(const zmq_event_t&, const char*) override {
    Add(Kind::kHandshakeFailed);
  }
  void on_event_handshake_failed_protocol(const zmq_event_t&, const char*) override {
    Add(Kind::kHandshakeProtocol);
  }
  void on_event_connect_retried(const zmq_event_t&, const char*) override {
    Add(Kind::kConnectRetried);
  }
  void Add(Kind kind) { events.push_back({kind, 0}); }
};

}  // namespace

// Members end in reverse order: the monitor, then the socket it watches, then their context.
struct CentralLink::Zmq {
  zmq::context_t context{1};
  zmq::socket_t socket{context, zmq::socket_type::dealer};
  Monitor monitor;
  std::string endpoint;
};

CentralLink::CentralLink(std::unique_ptr<Zmq> zmq) : zmq_(std::move(zmq)) {}

CentralLink::~CentralLink() = default;

common::StatusOr<std::unique_ptr<CentralLink>> CentralLink::Open(const CentralLinkOptions& o) {
  try {
    auto z = std::make_unique<Zmq>();
    z->endpoint = o.endpoint;
    zmq::socket_t& socket = z->socket;
    socket.set(zmq::sockopt::curve_serverkey, o.server_key);
    socket.set(zmq::sockopt::curve_publickey, o.keys.public_key);
    socket.set(zmq::sockopt::curve_secretkey, o.keys.secret_key);
    socket.set(zmq::sockopt::immediate, 1);  // never queue for a connection not yet up
    socket.set(zmq::sockopt::linger, 0);
    socket.set(zmq::sockopt::reconnect_ivl, 200);
    socket.set(zmq::sockopt::reconnect_ivl_max, 10'000);  // backoff up to 10 s
    socket.set(zmq::sockopt::heartbeat_ivl, 2000);        // notice a dead peer
    socket.set(zmq::sockopt::heartbeat_timeout, 6000);
    socket.set(zmq::sockopt::handshake_ivl, static_cast<int>(o.handshake_timeout_ms));
    // The link's own context: this inproc name is unique within it.
    z->monitor.init(socket, "inproc://central-link-monitor",
                    ZMQ_EVENT_CONNECTED | ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_DISCONNECTED |
                        ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
                        ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_CONNECT_RETRIED);
    socket.connect(o.endpoint);
    return std::unique_ptr<CentralLink>(new CentralLink(std::move(z)));
  } catch (const zmq::error_t& e) {
    return common::InvalidArgument("cannot set up replication to " + o.endpoint + ": " + e.what());
  }
}

// The socket calls below fail only when interrupted by a signal (EINTR: the daemon's SIGTERM or
// SIGHUP) or when the context ends (the link is closing): "nothing sent or received", retried
// by the replicator's next step.
bool CentralLink::Send(std::string_view frame) {
  try {
    return zmq_->socket.send(zmq::buffer(frame), zmq::send_flags::dontwait).has_value();
  } catch (const zmq::error_t&) {
    return false;
  }
}

std::optional<std::string> CentralLink::Receive() {
  try {
    zmq::message_t frame;
    if (!zmq_->socket.recv(frame, zmq::recv_flags::dontwait)) return std::nullopt;
    return frame.to_string();
  } catch (const zmq::error_t&) {
    return std::nullopt;
  }
}

bool CentralLink::WaitReadable(int timeout_ms) {
  try {
    zmq::pollitem_t items[] = {{zmq_->socket.handle(), 0, ZMQ_POLLIN, 0}};
    zmq::poll(items, 1, std::chrono::milliseconds(timeout_ms));
    return (items[0].revents & ZMQ_POLLIN) != 0;
  } catch (const zmq::error_t&) {
    return false;
  }
}

std::vector<LinkEvent> CentralLink::TakeEvents() {
  try {
    while (zmq_->monitor.check_event(0)) {
    }
  } catch (const zmq::error_t&) {  // interrupted: the rest comes with the next call
  }
  return std::exchange(zmq_->monitor.events, {});
}

void CentralLink::Reconnect() {
  try {
    zmq_->socket.disconnect(zmq_->endpoint);
  } catch (const zmq::error_t&) {  // not connected any more: connecting is what matters
  }
  try {
    zmq_->socket.connect(zmq_->endpoint);
  } catch (const zmq::error_t&) {  // the endpoint was accepted by Open: cannot fail here
  }
}

}  // namespace storepulse::edge
