// One connection of the replicator (edge/replicator.h) to one central: a CURVE DEALER connected to
// central's ROUTER, and a monitor that turns ZeroMQ's connection events into LinkEvents. The
// ZeroMQ adapter of replication: the protocol (edge/replication_session.h) sees frames and events,
// not sockets.
//
// A link owns its own ZeroMQ context, socket and monitor; destroying it closes them at once
// (linger 0): nothing still queued is sent after, so a replicator that replaces its link never
// speaks to two centrals at once. Not copyable; one thread (the replicator's). No call throws.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/transport/curve_keys.h"

namespace storepulse::edge {

struct CentralLinkOptions {
  std::string endpoint;                   // central's ROUTER, e.g. tcp://central:7600
  std::string server_key;                 // central's CURVE public key, Z85
  common::CurveKeyPair keys;              // this edge's pair
  int64_t handshake_timeout_ms = 10'000;  // a CURVE handshake not done by then fails
};

// What ZeroMQ reported about the connection, in the order it happened.
struct LinkEvent {
  enum class Kind {
    kTcpConnected,        // the TCP connection is up; the CURVE handshake starts
    kHandshakeSucceeded,  // central accepted this edge: messages flow
    kDisconnected,        // an established connection dropped (ZeroMQ reconnects by itself)
    kKeyRefused,          // central's ZAP handler refused this edge's key (zap_status)
    kHandshakeFailed,     // the handshake failed without detail: timed out, or cut short
    kHandshakeProtocol,   // the peer does not speak CURVE as expected
    kConnectRetried,      // the TCP connection could not be made; ZeroMQ retries
  };
  Kind kind;
  int zap_status = 0;  // kKeyRefused only
};

class CentralLink {
 public:
  // Creates the socket and starts connecting (in the background). InvalidArgument when ZeroMQ
  // refuses the options or the endpoint.
  static common::StatusOr<std::unique_ptr<CentralLink>> Open(const CentralLinkOptions& options);
  ~CentralLink();
  CentralLink(const CentralLink&) = delete;
  CentralLink& operator=(const CentralLink&) = delete;

  // Queues one frame without blocking; false when no connection is up (nothing is queued for a
  // connection not yet made) or the queue is full.
  bool Send(std::string_view frame);
  // The next frame received, if one is waiting.
  std::optional<std::string> Receive();
  // Waits up to `timeout_ms` for a frame to read; true when one is waiting.
  bool WaitReadable(int timeout_ms);
  // The connection events since the last call.
  std::vector<LinkEvent> TakeEvents();
  // Connects again from scratch: ZeroMQ does not retry a handshake central refused by itself.
  void Reconnect();

 private:
  struct Zmq;
  explicit CentralLink(std::unique_ptr<Zmq> zmq);
  std::unique_ptr<Zmq> zmq_;
};

}  // namespace storepulse::edge
