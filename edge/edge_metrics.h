// Counters the edge exports on /metrics and /api/v1/status. Lock-free; thread-safe.
#pragma once

#include <atomic>
#include <cstdint>

namespace storepulse::edge {

struct EdgeMetrics {
  std::atomic<int64_t> events_accepted{0};
  std::atomic<int64_t> events_duplicate{0};
  std::atomic<int64_t> events_rejected{0};
  std::atomic<int64_t> batches_refused{0};  // refused as a whole (malformed, disk full, I/O)
  std::atomic<int64_t> kpi_queries{0};
};

}  // namespace storepulse::edge
