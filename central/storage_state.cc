#include "central/storage_state.h"

#include "common/time_util.h"

namespace storepulse::central {

bool StorageState::Failed(const common::Status& status, int64_t now_ms) {
  std::lock_guard lock(mu_);
  ++refused_;
  last_try_ms_ = now_ms;
  const bool changed = !failing_ || reason_ != status.message();
  if (!failing_) since_ms_ = now_ms;
  failing_ = true;
  reason_ = status.message();
  disk_full_ = status.code() == common::StatusCode::kResourceExhausted;
  return changed;
}

std::string StorageState::Stored(int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (!failing_) return "";
  std::string ended = "central stores again after " + std::to_string((now_ms - since_ms_) / 1000) +
                      " s of " + (disk_full_ ? "a full disk" : "failed writes") + " (" +
                      std::to_string(refused_) + " batches answered retry since it started)";
  failing_ = false;
  reason_.clear();
  disk_full_ = false;
  return ended;
}

std::string StorageState::TurnAway(int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (!failing_ || !disk_full_ || now_ms - last_try_ms_ >= probe_ms_) {
    last_try_ms_ = now_ms;
    return "";
  }
  ++refused_;
  return "central is not storing: " + reason_;
}

bool StorageState::storing() const {
  std::lock_guard lock(mu_);
  return !failing_;
}

int64_t StorageState::refused_batches() const {
  std::lock_guard lock(mu_);
  return refused_;
}

nlohmann::json StorageState::ToJson(int64_t now_ms) const {
  std::lock_guard lock(mu_);
  const bool storing = !failing_;
  return {{"storing", storing},
          {"since",
           storing ? nlohmann::json(nullptr) : nlohmann::json(common::FormatRfc3339Utc(since_ms_))},
          {"for_s", storing ? 0 : (now_ms - since_ms_) / 1000},
          {"reason", storing ? nlohmann::json(nullptr) : nlohmann::json(reason_)},
          {"disk_full", !storing && disk_full_},
          {"refused_batches", refused_}};
}

}  // namespace storepulse::central
