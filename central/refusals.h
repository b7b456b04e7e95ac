// Why central turned edges away: unknown keys at the CURVE handshake (ZAP), keys speaking for
// another store, bad protocol versions, diverged streams. Counted per (reason, key, store).
//
// Anyone who can reach the port can present a new key on every connection, so what a stranger
// causes is bounded: refusals of no known store keep only the kMaxAnonymous most recent (reason,
// key) rows, the others are summed into one row per reason, and their log line is written at most
// once a minute per reason. Refusals of a known store (bounded by the stores file) keep a row each
// and a log line at most once a minute each. Several centrals over one PostgreSQL show each
// other's refusals too (SetOthers, central/pg_fleet_sync.h), so the fleet answer is the same at
// each. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace storepulse::central {

// Every reason a refusal may give.
inline constexpr std::array<std::string_view, 7> kRefusalReasons = {
    "unknown_key", "wrong_store", "version", "malformed", "unknown_stream", "diverged", "overflow"};

struct Refusal {
  std::string reason;   // one of kRefusalReasons
  std::string key;      // the edge's public key (Z85), when known
  std::string store;    // the store that key belongs to, when known
  std::string address;  // the peer's IP address, when known
  std::string detail;
  int64_t count = 0;
  int64_t last_ms = 0;
};

class Refusals {
 public:
  static constexpr size_t kMaxAnonymous = 100;

  void Record(Refusal refusal, int64_t now_ms);
  int64_t Total() const;
  int64_t CountForStore(const std::string& store) const;
  // Every refusal, this central's and the others', counted by store ("" for no known store), then
  // by reason: for /metrics.
  std::map<std::string, std::map<std::string, int64_t>> CountsByStoreAndReason() const;
  // Every row, this central's and the others', most recent first, then per reason the anonymous
  // refusals no longer listed. Another central's rows say which (`central`).
  nlohmann::json ToJson() const;
  // This central's rows alone, as ToJson lists them: what it shares with the others.
  nlohmann::json OwnJson() const;
  // The other centrals' rows (each one's OwnJson, by central), replacing what they said before:
  // a central no longer listed (stopped for good) is no longer shown.
  void SetOthers(std::map<std::string, nlohmann::json> rows_by_central);

 private:
  using Id = std::pair<std::string, std::string>;  // reason, key|store
  struct Logged {
    bool ever = false;
    int64_t at_ms = 0;
    int64_t unlogged = 0;  // refusals since then, not logged
  };
  void EvictOldestAnonymous();
  void Log(const Refusal& refusal, Logged& logged, int64_t now_ms);

  mutable std::mutex mu_;
  std::map<Id, Refusal> rows_;                 // guarded by mu_
  std::map<std::string, Refusal> evicted_;     // summed per reason; guarded by mu_
  std::map<std::string, Logged> logged_;       // per reason (anonymous) or reason|store
  std::map<std::string, nlohmann::json> others_;  // another central's rows; guarded by mu_
  size_t anonymous_rows_ = 0;                  // guarded by mu_
};

}  // namespace storepulse::central
