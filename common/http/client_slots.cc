#include "common/http/client_slots.h"

namespace storepulse::common {

ClientSlots::Slot::~Slot() {
  if (owner_ != nullptr) owner_->Give(address_);
}

std::optional<ClientSlots::Slot> ClientSlots::TryTake(const std::string& address) {
  std::lock_guard<std::mutex> lock(mutex_);
  int& open = open_[address];
  if (per_client_ > 0 && open >= per_client_) return std::nullopt;
  ++open;
  return Slot(this, address);
}

Status CheckConnectionsPerClient(int per_client, int threads) {
  if (per_client == 0 || (per_client >= 1 && per_client < threads)) return OkStatus();
  return InvalidArgument("--http-connections-per-client (" + std::to_string(per_client) +
                         ") must be below --http-threads (" + std::to_string(threads) +
                         "), so that one client cannot hold every worker; 0 removes the cap");
}

void ClientSlots::Give(const std::string& address) noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = open_.find(address);
  if (it != open_.end() && --it->second <= 0) open_.erase(it);
}

}  // namespace storepulse::common
