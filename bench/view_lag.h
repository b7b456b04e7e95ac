// view_lag_ms: how far a daemon's view pass trails its event log while a load runs. A thread
// polls the daemon's own figures — the edge's GET /api/v1/status "views", central's /metrics
// storepulse_central_views_* — every few milliseconds, from before the load until the pass has
// caught up after it. Two measures of the same thing:
//   - per group, the pass's own lag (commit → fold of the group's oldest event): one sample per
//     new watermark seen;
//   - at every sample, how long ago the log first held the oldest event still unfolded (from the
//     log ends sampled before it): the trail as a reader of the views alone would see it.
// Owned by one thread; the polling runs on its own.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_report.h"
#include "bench/child_process.h"

namespace storepulse::bench {

enum class ViewSource { kEdgeStatus, kCentralMetrics };

struct ViewSample {
  double t_ms = 0;  // since Start
  int64_t folded = 0;
  int64_t pending = 0;  // the log ends at folded + pending
  int64_t lag_ms = 0;   // the pass's lag of its last group
};

class ViewLagSampler {
 public:
  ViewLagSampler(int http_port, ViewSource source,
                 std::chrono::milliseconds every = std::chrono::milliseconds(10));
  ~ViewLagSampler();
  ViewLagSampler(const ViewLagSampler&) = delete;
  ViewLagSampler& operator=(const ViewLagSampler&) = delete;

  void Start();
  // The load is over: samples until nothing is pending (at most `deadline`), then stops.
  void StopWhenCaughtUp(std::chrono::milliseconds deadline);

  // view_lag_ms-like figure `name` (goal: p99 < 1,000 ms) from what was sampled.
  Figure MakeFigure(const std::string& name) const;

 private:
  void Run();

  const int port_;
  const ViewSource source_;
  const std::chrono::milliseconds every_;
  std::atomic<bool> stop_{false};
  std::atomic<double> load_end_ms_{-1};
  std::vector<ViewSample> samples_;  // the polling thread's until it is joined
  int64_t failed_ = 0;
  std::thread thread_;
  Stopwatch watch_;
};

}  // namespace storepulse::bench
