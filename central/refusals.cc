#include "central/refusals.h"

#include "common/log.h"
#include "common/time_util.h"

namespace storepulse::central {

void Refusals::Record(Refusal refusal, int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto id = std::make_pair(refusal.reason, refusal.key + "|" + refusal.store);
  Refusal& entry = by_reason_key_[id];
  int64_t count = entry.count + 1;
  entry = refusal;
  entry.count = count;
  entry.last_ms = now_ms;
  int64_t& logged = logged_ms_[id];
  if (logged == 0 || now_ms - logged >= 60'000) {
    logged = now_ms;
    common::LogWarning("refused edge" +
                       (refusal.address.empty() ? "" : " at " + refusal.address) +
                       (refusal.store.empty() ? "" : " (store " + refusal.store + ")") + ": " +
                       refusal.reason + ": " + refusal.detail + " [seen " +
                       std::to_string(count) + " times]");
  }
}

int64_t Refusals::Total() const {
  std::lock_guard lock(mu_);
  int64_t total = 0;
  for (const auto& [id, r] : by_reason_key_) total += r.count;
  return total;
}

int64_t Refusals::CountForStore(const std::string& store) const {
  std::lock_guard lock(mu_);
  int64_t total = 0;
  for (const auto& [id, r] : by_reason_key_) {
    if (r.store == store) total += r.count;
  }
  return total;
}

nlohmann::json Refusals::ToJson() const {
  std::lock_guard lock(mu_);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [id, r] : by_reason_key_) {
    out.push_back({{"reason", r.reason}, {"key", r.key}, {"store", r.store},
                   {"address", r.address}, {"detail", r.detail}, {"count", r.count},
                   {"last", common::FormatRfc3339Utc(r.last_ms)}});
  }
  return out;
}

}  // namespace storepulse::central
