// The replicator's link to its current central, and failing over to the next of several
// (issue 10). With one central the link is opened once and ZeroMQ reconnects it for ever, as
// before. With several, the replicator uses one at a time and leaves it — closing its link before
// the next is opened, so it never has two centrals' sessions at once — when it is down (no TCP
// connection, a failed handshake, no welcome within welcome_timeout_ms, the connection dropped)
// or refuses (a refusal; `retry` answers or ack timeouts going on for stall_failover_ms without
// an ack). edge/central_rotation.h says which central is next and when. The stream then resumes
// from the next central's welcome, whose position is the authority, as after any reconnection.
#include <algorithm>
#include <string>

#include "common/log.h"
#include "edge/link_diagnosis.h"
#include "edge/replicator_impl.h"

namespace storepulse::edge {

namespace {
constexpr int64_t kMaxHandshakeLimitMs = 160'000;
}  // namespace

common::Status Replicator::Impl::OpenLink(int64_t now) {
  const CentralEndpoint& central = options.centrals[rotation.current()];
  link_opened_ms = now;
  hello_backoff_ms = 500;
  {
    std::lock_guard lock(mu);
    shared.central = central.endpoint;
  }
  auto opened = CentralLink::Open(
      {central.endpoint, central.public_key, options.keys,
       std::max(options.handshake_timeout_ms, handshake_limit_ms)});
  if (!opened.ok()) {
    SetError(opened.status().message());
    LeaveCentral("cannot connect to it");
    connect_at_ms = now + options.hello_retry_max_ms;  // one central: try it again later
    return opened.status();
  }
  link = std::move(opened).value();
  return common::OkStatus();
}

bool Replicator::Impl::StepLink(int64_t now) {
  if (!failover_reason.empty()) FailOver(now);
  if (reopen_link) {  // ZeroMQ takes the handshake's limit when the socket is made
    reopen_link = false;
    link.reset();
    connect_at_ms = now;
  }
  if (!link) return now >= connect_at_ms && OpenLink(now).ok();
  if (reconnect_at_ms != 0 && now >= reconnect_at_ms) {  // perhaps the stores file was fixed
    reconnect_at_ms = 0;
    link->Reconnect();
  }
  if (several() && !welcomed && now - link_opened_ms > options.welcome_timeout_ms) {
    LeaveCentral("no welcome within " + std::to_string(options.welcome_timeout_ms) + " ms");
  }
  return true;
}

void Replicator::Impl::LeaveCentral(const std::string& why) {
  if (several() && failover_reason.empty()) failover_reason = why;
}

void Replicator::Impl::Stalled(const std::string& what, int64_t now) {
  if (stalled_since_ms == 0) {
    stalled_since_ms = now;
  } else if (now - stalled_since_ms >= options.stall_failover_ms) {
    LeaveCentral(what + ", without an ack for " + std::to_string(now - stalled_since_ms) + " ms");
  }
}

void Replicator::Impl::FailOver(int64_t now) {
  const std::string from = endpoint();
  const std::string why = std::exchange(failover_reason, "");
  link.reset();  // this central's session ends before the next one's begins
  EndSession();
  tcp_connected_ms = 0;
  reconnect_at_ms = 0;
  stalled_since_ms = 0;
  connect_at_ms = rotation.FailOver(now);
  // One round of lines per outage: the first failure at each central since the last progress.
  if (rotation.failures_since_progress() <= static_cast<int64_t>(options.centrals.size())) {
    common::LogWarning("replication: leaving central at " + from + " (" + why + "); trying " +
                       endpoint() +
                       (connect_at_ms > now ? " in " + std::to_string(connect_at_ms - now) +
                                                  " ms (every central of the list failed in turn)"
                                            : ""));
  }
  std::lock_guard lock(mu);
  shared.central = endpoint();
  shared.failovers = rotation.failovers();
}

void Replicator::Impl::CentralWorks() {
  if (several() && rotation.failures_since_progress() > 0) {
    common::LogInfo("replication: streaming to central at " + endpoint());
  }
  rotation.Progressed();
}

void Replicator::Impl::EndSession() {
  connected = false;
  welcomed = false;
  confirmed = 0;  // the central that comes next may be behind: restored, or failed over
  in_flight.clear();
  std::lock_guard lock(mu);
  shared.connected = false;
  shared.welcomed = false;
}

bool Replicator::Impl::QuietOutage() const {
  return several() &&
         rotation.failures_since_progress() >= static_cast<int64_t>(options.centrals.size());
}

void Replicator::Impl::OnLinkEvent(const LinkEvent& event, int64_t now) {
  switch (event.kind) {
    case LinkEvent::Kind::kTcpConnected:
      tcp_connected_ms = now;
      return;
    case LinkEvent::Kind::kHandshakeSucceeded: {
      tcp_connected_ms = 0;
      connected = true;
      welcomed = false;
      confirmed = 0;
      next_hello_ms = 0;  // say hello at once
      in_flight.clear();
      std::lock_guard lock(mu);
      shared.connected = true;
      return;
    }
    case LinkEvent::Kind::kDisconnected:
      EndSession();
      return LeaveCentral("the connection dropped");
    case LinkEvent::Kind::kKeyRefused:
      reconnect_at_ms = now + options.refused_retry_ms;
      SetError(KeyRefusedMessage(event.zap_status, options.store));
      return LeaveCentral("it refused this edge's key");
    case LinkEvent::Kind::kHandshakeFailed: {
      const int64_t waited = tcp_connected_ms ? now - tcp_connected_ms : 0;
      const int64_t limit = std::max(options.handshake_timeout_ms, handshake_limit_ms);
      tcp_connected_ms = 0;
      SetError(HandshakeFailedMessage(waited, limit, endpoint()));
      if (waited >= limit * 9 / 10 && limit < kMaxHandshakeLimitMs) {
        // Out of time, not refused: central may be stuck, or the link slow. Allow the next
        // handshake twice as long (with several centrals, the next one's link gets it).
        handshake_limit_ms = std::min(limit * 2, kMaxHandshakeLimitMs);
        common::LogWarning("replication: no CURVE handshake within " + std::to_string(limit) +
                           " ms; allowing " + std::to_string(handshake_limit_ms) +
                           " ms from now on (a slow link, or central not answering)");
        if (!several()) reopen_link = true;
      }
      return LeaveCentral("the CURVE handshake failed");
    }
    case LinkEvent::Kind::kHandshakeProtocol:
      SetError(HandshakeProtocolMessage());
      return LeaveCentral("the CURVE handshake failed");
    case LinkEvent::Kind::kConnectRetried: {
      if (!several()) {
        std::lock_guard lock(mu);
        // Keep the more useful diagnosis: the handshake, not the network, is the problem. (With
        // several centrals, that diagnosis was about another one.)
        if (IsHandshakeDiagnosis(shared.last_error)) return;
      }
      SetError(UnreachableMessage(endpoint()));
      return LeaveCentral("unreachable");
    }
  }
}

}  // namespace storepulse::edge
