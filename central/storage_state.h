// Whether central stores what the edges send: the fleet's `central.storage`, /metrics'
// storepulse_central_storing and the `central_not_storing` alert. A group of batches whose write
// fails (central's disk full above all) makes central "not storing" until a group stores events
// again. While the failure is a full disk, batches are turned away at once — answered `retry`
// with the reason, neither decoded nor written — except the first one every `probe_ms`, which
// finds out whether there is room again: central resumes by itself, and a full disk costs neither
// central nor the edges a busy loop. Nothing turned away is acknowledged: the edges keep it.
// Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace storepulse::central {

class StorageState {
 public:
  explicit StorageState(int64_t probe_ms = 1000) : probe_ms_(probe_ms) {}

  // One batch of a group whose write failed with `status`. True when this starts a failure or
  // changes its reason (worth a log line); false while the same failure goes on.
  bool Failed(const common::Status& status, int64_t now_ms);
  // A group stored events. What ended, for the log ("" when central was storing already).
  std::string Stored(int64_t now_ms);
  // Why to turn a batch away now, without trying it; "" to try it. Counts what it turns away.
  std::string TurnAway(int64_t now_ms);

  bool storing() const;
  int64_t refused_batches() const;  // since central started: failed or turned away
  // {"storing", "since", "for_s", "reason", "disk_full", "refused_batches"}.
  nlohmann::json ToJson(int64_t now_ms) const;

 private:
  const int64_t probe_ms_;
  mutable std::mutex mu_;
  bool failing_ = false;     // not storing since since_ms_; guarded by mu_
  int64_t since_ms_ = 0;     // when the failure began; guarded by mu_
  std::string reason_;       // the failure's message; guarded by mu_
  bool disk_full_ = false;   // the failure is a full disk; guarded by mu_
  int64_t last_try_ms_ = 0;  // the last batch let through to the database; guarded by mu_
  int64_t refused_ = 0;      // guarded by mu_
};

}  // namespace storepulse::central
