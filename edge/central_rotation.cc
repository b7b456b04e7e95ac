#include "edge/central_rotation.h"

#include <algorithm>

namespace storepulse::edge {

CentralRotation::CentralRotation(size_t count, CentralRotationOptions options)
    : count_(std::max<size_t>(count, 1)),
      options_(options),
      backoff_ms_(options.first_backoff_ms) {}

int64_t CentralRotation::FailOver(int64_t now_ms) {
  ++failovers_;
  ++failures_since_progress_;
  current_ = (current_ + 1) % count_;
  if (++failed_in_round_ < count_) return now_ms;  // a central of this round is still untried
  failed_in_round_ = 0;
  const int64_t wait_ms = backoff_ms_;
  backoff_ms_ = std::min(backoff_ms_ * 2, options_.max_backoff_ms);
  return now_ms + wait_ms;
}

void CentralRotation::Progressed() {
  failures_since_progress_ = 0;
  failed_in_round_ = 0;
  backoff_ms_ = options_.first_backoff_ms;
}

}  // namespace storepulse::edge
