// What the edge tells an operator about its link to central (`replication.last_error` in
// /api/v1/status), from ZeroMQ's connection events. A key problem must never read as a network
// problem, nor a stuck central as a key problem. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace storepulse::edge {

// Central's ZAP handler refused this edge's key with `zap_status` (400: not in the stores file).
std::string KeyRefusedMessage(int zap_status, const std::string& store);
// A CURVE handshake failed without detail `waited_ms` after its TCP connection came up. libzmq
// reports a handshake that timed out (central stopped or overloaded: the kernel still accepts)
// and one central cut short (a wrong central key) alike; only the time taken tells them apart.
std::string HandshakeFailedMessage(int64_t waited_ms, int64_t timeout_ms,
                                   const std::string& endpoint);
std::string HandshakeProtocolMessage();
std::string UnreachableMessage(const std::string& endpoint);
// True for the messages above but UnreachableMessage: a diagnosis that the reconnection attempts
// after it must not replace.
bool IsHandshakeDiagnosis(const std::string& message);

}  // namespace storepulse::edge
