#include "edge/link_diagnosis.h"

namespace storepulse::edge {

std::string KeyRefusedMessage(int zap_status, const std::string& store) {
  return "central refused this edge's CURVE key (ZAP status " + std::to_string(zap_status) +
         "): is this edge's public key in central's stores file, for store " + store + "?";
}

std::string HandshakeFailedMessage(int64_t waited_ms, int64_t timeout_ms,
                                   const std::string& endpoint) {
  if (waited_ms >= timeout_ms * 9 / 10) {
    return "central at " + endpoint + " accepted the connection but did not answer the CURVE " +
           "handshake within " + std::to_string(timeout_ms / 1000) +
           " s: is storepulse-central running and responsive (not stopped or overloaded)?";
  }
  return "CURVE handshake with central failed: central closed the connection at once; check "
         "--central-public-key (central's .pub)";
}

std::string HandshakeProtocolMessage() {
  return "CURVE handshake with central failed (protocol error): check --central-public-key";
}

std::string UnreachableMessage(const std::string& endpoint) {
  return "central unreachable at " + endpoint + " (retrying)";
}

bool IsHandshakeDiagnosis(const std::string& message) {
  return message.rfind("central refused", 0) == 0 || message.rfind("CURVE", 0) == 0 ||
         message.rfind("central at", 0) == 0;
}

}  // namespace storepulse::edge
