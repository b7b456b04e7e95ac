// Refuses new events when the disk holding the database is nearly full, so that what is already
// stored keeps room to be replicated and checkpointed (SPEC §4). The floor is `min_free_bytes`, or
// `min_free_percent` of the file system when that is smaller (a small disk is not blocked early).
// Thread-safe; the free-space reading is refreshed at most once per `refresh_ms`.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "common/status.h"
#include "common/time_util.h"

namespace storepulse::edge {

struct DiskSpace {
  uint64_t free_bytes = 0;
  uint64_t total_bytes = 0;
};

class DiskGuard {
 public:
  DiskGuard(std::string path, uint64_t min_free_bytes, double min_free_percent,
            const common::Clock& clock, int64_t refresh_ms = 1000);

  // OK, or ResourceExhausted saying how much is free and what the floor is.
  common::Status CheckRoom();
  DiskSpace Read() const;  // a fresh reading

 private:
  std::string path_;
  uint64_t min_free_bytes_;
  double min_free_percent_;
  const common::Clock& clock_;
  int64_t refresh_ms_;
  std::atomic<int64_t> checked_at_ms_{0};  // 0: never checked
  std::atomic<bool> full_{false};
  std::atomic<uint64_t> free_bytes_{0};
  std::atomic<uint64_t> floor_bytes_{0};
};

}  // namespace storepulse::edge
