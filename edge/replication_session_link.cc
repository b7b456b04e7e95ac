// The session's link to its current central, and failing over to the next of several (issue 10).
// With one central the link is opened once and ZeroMQ reconnects it for ever. With several, the
// session uses one at a time and leaves it — closing its link before the next is opened, so it
// never has two centrals' sessions at once — when it is down (no TCP connection, a failed
// handshake, no welcome within welcome_timeout_ms, the connection dropped) or refuses (a refusal;
// `retry` answers or ack timeouts going on for stall_failover_ms without an ack).
// edge/central_rotation.h says which central is next and when. The stream then resumes from the
// next central's welcome, whose position is the authority, as after any reconnection.
#include <algorithm>
#include <string>
#include <utility>

#include "common/log.h"
#include "edge/link_diagnosis.h"
#include "edge/replication_session.h"

namespace storepulse::edge {

namespace {
constexpr int64_t kMaxHandshakeLimitMs = 160'000;
}  // namespace

common::Status ReplicationSession::OpenLink(int64_t now) {
  const CentralEndpoint& central = options_.centrals[rotation_.current()];
  link_opened_ms_ = now;
  hello_backoff_ms_ = 500;
  status_.central = central.endpoint;
  if (common::Status opened = env_.OpenLink(central, handshake_limit_ms_); !opened.ok()) {
    SetError(opened.message());
    LeaveCentral("cannot connect to it");
    connect_at_ms_ = now + options_.hello_retry_max_ms;  // one central: try it again later
    return opened;
  }
  link_open_ = true;
  return common::OkStatus();
}

bool ReplicationSession::StepLink(int64_t now) {
  if (!failover_reason_.empty()) FailOver(now);
  if (std::exchange(reopen_link_, false)) {  // ZeroMQ takes the handshake's limit at the socket
    env_.CloseLink();
    link_open_ = false;
    connect_at_ms_ = now;
  }
  if (!link_open_) return now >= connect_at_ms_ && OpenLink(now).ok();
  if (reconnect_at_ms_ != 0 && now >= reconnect_at_ms_) {  // perhaps the stores file was fixed
    reconnect_at_ms_ = 0;
    env_.Reconnect();
  }
  if (several() && !welcomed_ && now - link_opened_ms_ > options_.welcome_timeout_ms) {
    LeaveCentral("no welcome within " + std::to_string(options_.welcome_timeout_ms) + " ms");
  }
  return true;
}

void ReplicationSession::LeaveCentral(const std::string& why) {
  if (several() && failover_reason_.empty()) failover_reason_ = why;
}

void ReplicationSession::Stalled(const std::string& what, int64_t now) {
  if (stalled_since_ms_ == 0) {
    stalled_since_ms_ = now;
  } else if (now - stalled_since_ms_ >= options_.stall_failover_ms) {
    LeaveCentral(what + ", without an ack for " + std::to_string(now - stalled_since_ms_) +
                 " ms");
  }
}

void ReplicationSession::FailOver(int64_t now) {
  const std::string from = endpoint();
  const std::string why = std::exchange(failover_reason_, "");
  env_.CloseLink();  // this central's session ends before the next one's begins
  link_open_ = false;
  EndSession();
  tcp_connected_ms_ = 0;
  reconnect_at_ms_ = 0;
  stalled_since_ms_ = 0;
  connect_at_ms_ = rotation_.FailOver(now);
  // One round of lines per outage: the first failure at each central since the last progress.
  if (rotation_.failures_since_progress() <= static_cast<int64_t>(options_.centrals.size())) {
    common::LogWarning("replication: leaving central at " + from + " (" + why + "); trying " +
                       endpoint() +
                       (connect_at_ms_ > now
                            ? " in " + std::to_string(connect_at_ms_ - now) +
                                  " ms (every central of the list failed in turn)"
                            : ""));
  }
  status_.central = endpoint();
  status_.failovers = rotation_.failovers();
}

void ReplicationSession::CentralWorks() {
  if (several() && rotation_.failures_since_progress() > 0) {
    common::LogInfo("replication: streaming to central at " + endpoint());
  }
  rotation_.Progressed();
}

void ReplicationSession::EndSession() {
  connected_ = false;
  welcomed_ = false;
  confirmed_ = 0;  // the central that comes next may be behind: restored, or failed over
  in_flight_.clear();
  status_.connected = false;
  status_.welcomed = false;
  status_.central_documents = false;
  status_.central_network_stock = false;
}

bool ReplicationSession::QuietOutage() const {
  return several() &&
         rotation_.failures_since_progress() >= static_cast<int64_t>(options_.centrals.size());
}

// One branch per kind of connection event.
void ReplicationSession::OnLinkEvent(const LinkEvent& event, int64_t now) {
  switch (event.kind) {
    case LinkEvent::Kind::kTcpConnected:
      tcp_connected_ms_ = now;
      return;
    case LinkEvent::Kind::kHandshakeSucceeded:
      tcp_connected_ms_ = 0;
      connected_ = true;
      welcomed_ = false;
      confirmed_ = 0;
      next_hello_ms_ = 0;  // say hello at once
      in_flight_.clear();
      status_.connected = true;
      return;
    case LinkEvent::Kind::kDisconnected:
      EndSession();
      return LeaveCentral("the connection dropped");
    case LinkEvent::Kind::kKeyRefused:
      reconnect_at_ms_ = now + options_.refused_retry_ms;
      SetError(KeyRefusedMessage(event.zap_status, options_.store));
      return LeaveCentral("it refused this edge's key");
    case LinkEvent::Kind::kHandshakeFailed: {
      const int64_t waited = tcp_connected_ms_ ? now - tcp_connected_ms_ : 0;
      const int64_t limit = handshake_limit_ms_;
      tcp_connected_ms_ = 0;
      SetError(HandshakeFailedMessage(waited, limit, endpoint()));
      if (waited >= limit * 9 / 10 && limit < kMaxHandshakeLimitMs) {
        // Out of time, not refused: central may be stuck, or the link slow. Allow the next
        // handshake twice as long (with several centrals, the next one's link gets it).
        handshake_limit_ms_ = std::min(limit * 2, kMaxHandshakeLimitMs);
        common::LogWarning("replication: no CURVE handshake within " + std::to_string(limit) +
                           " ms; allowing " + std::to_string(handshake_limit_ms_) +
                           " ms from now on (a slow link, or central not answering)");
        if (!several()) reopen_link_ = true;
      }
      return LeaveCentral("the CURVE handshake failed");
    }
    case LinkEvent::Kind::kHandshakeProtocol:
      SetError(HandshakeProtocolMessage());
      return LeaveCentral("the CURVE handshake failed");
    case LinkEvent::Kind::kConnectRetried:
      // Keep the more useful diagnosis: the handshake, not the network, is the problem. (With
      // several centrals, that diagnosis was about another one.)
      if (!several() && IsHandshakeDiagnosis(status_.last_error)) return;
      SetError(UnreachableMessage(endpoint()));
      return LeaveCentral("unreachable");
  }
}

}  // namespace storepulse::edge
