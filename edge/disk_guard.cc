#include "edge/disk_guard.h"

#include <sys/statvfs.h>

#include <algorithm>

namespace storepulse::edge {

DiskGuard::DiskGuard(std::string path, uint64_t min_free_bytes, double min_free_percent,
                     const common::Clock& clock, int64_t refresh_ms)
    : path_(std::move(path)),
      min_free_bytes_(min_free_bytes),
      min_free_percent_(min_free_percent),
      clock_(clock),
      refresh_ms_(refresh_ms) {}

DiskSpace DiskGuard::Read() const {
  struct statvfs fs {};
  if (statvfs(path_.c_str(), &fs) != 0) return {};
  return DiskSpace{static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize,
                   static_cast<uint64_t>(fs.f_blocks) * fs.f_frsize};
}

common::Status DiskGuard::CheckRoom() {
  int64_t now = clock_.NowMs();
  if (checked_at_ms_ == 0 || now - checked_at_ms_.load() >= refresh_ms_) {
    DiskSpace space = Read();
    auto percent_floor = static_cast<uint64_t>(space.total_bytes * min_free_percent_ / 100.0);
    uint64_t floor = std::min(min_free_bytes_, percent_floor);
    floor_bytes_ = floor;
    free_bytes_ = space.free_bytes;
    full_ = space.free_bytes < floor;
    checked_at_ms_ = now;
  }
  if (!full_) return common::OkStatus();
  return common::ResourceExhausted(
      "disk nearly full: " + std::to_string(free_bytes_ / (1024 * 1024)) + " MiB free under " +
      path_ + ", below the floor of " + std::to_string(floor_bytes_ / (1024 * 1024)) +
      " MiB; new events are refused until space is freed (stored events are kept)");
}

}  // namespace storepulse::edge
