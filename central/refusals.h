// Why central turned edges away: unknown keys at the CURVE handshake (ZAP), keys speaking for
// another store, bad protocol versions. Counted per (reason, key) and logged at most once a minute
// per pair, so a misconfigured edge retrying every second neither floods the journal nor hides.
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace storepulse::central {

struct Refusal {
  std::string reason;   // "unknown_key", "wrong_store", "version", "malformed", "unknown_stream",
                        // "overflow"
  std::string key;      // the edge's public key (Z85), when known
  std::string store;    // the store that key belongs to, when known
  std::string address;  // the peer's IP address, when known
  std::string detail;
  int64_t count = 0;
  int64_t last_ms = 0;
};

class Refusals {
 public:
  void Record(Refusal refusal, int64_t now_ms);
  int64_t Total() const;
  int64_t CountForStore(const std::string& store) const;
  nlohmann::json ToJson() const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Refusal> by_reason_key_;  // guarded by mu_
  std::map<std::pair<std::string, std::string>, int64_t> logged_ms_;      // guarded by mu_
};

}  // namespace storepulse::central
