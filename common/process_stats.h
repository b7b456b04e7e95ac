// What the kernel says of this process (/proc/self): CPU time, memory, open files, start time —
// the figures Prometheus exporters call process_*. Read on each call; thread-safe.
#pragma once

#include <cstdint>
#include <optional>

namespace storepulse::common {

struct ProcessStats {
  double cpu_seconds = 0;      // user + system
  int64_t resident_bytes = 0;  // RSS
  int64_t virtual_bytes = 0;
  int64_t open_fds = 0;
  int64_t max_fds = 0;            // the soft RLIMIT_NOFILE
  double start_time_seconds = 0;  // Unix time
};

// Empty when /proc cannot be read (not Linux, or /proc not mounted).
std::optional<ProcessStats> ReadProcessStats();

}  // namespace storepulse::common
