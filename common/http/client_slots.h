// The cap on HTTP connections open at once from one client address (http-connections-per-client):
// a connection holds a worker of the pool for as long as it is open, so without a cap one broken
// or hostile client could hold them all. A slot is taken when a connection is accepted and given
// back when it closes. Thread-safe.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/status.h"

namespace storepulse::common {

class ClientSlots {
 public:
  // A connection's slot, given back when destroyed. Move-only.
  class Slot {
   public:
    Slot(ClientSlots* owner, std::string address) : owner_(owner), address_(std::move(address)) {}
    Slot(Slot&& other) noexcept : owner_(other.owner_), address_(std::move(other.address_)) {
      other.owner_ = nullptr;
    }
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot();

   private:
    ClientSlots* owner_;
    std::string address_;
  };

  // At most `per_client` connections per address; 0: no cap.
  explicit ClientSlots(int per_client) : per_client_(per_client) {}

  int per_client() const { return per_client_; }
  // A slot for one more connection from `address`, or nothing when it has per_client() open.
  std::optional<Slot> TryTake(const std::string& address);

 private:
  void Give(const std::string& address) noexcept;

  const int per_client_;
  std::mutex mutex_;
  std::unordered_map<std::string, int> open_;  // address → connections open; no zero entries
};

// The config rule for http-connections-per-client: 0 (no cap), or at least 1 and below
// `threads`, so that one client can never hold every worker.
Status CheckConnectionsPerClient(int per_client, int threads);

}  // namespace storepulse::common
