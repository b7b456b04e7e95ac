// Feeds running edges with simulated store traffic in accelerated real time (`storepulse simulate
// --live`). Each store has a simulated clock that starts at a chosen instant and runs `speed` times
// faster than the wall clock, but never runs more than `max_ahead_ms` ahead of it (an edge refuses
// events over 24 h ahead of its clock). Every Tick posts to each store's edge the events of the
// simulated time elapsed since that store's previous successful tick, as JSON Lines batches to
// /api/v1/events. Sending again is harmless: the edge answers duplicates. Time comes from an
// injected Clock. Single-threaded.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cli/http_client.h"
#include "common/sim/store_simulator.h"
#include "common/status.h"
#include "common/time_util.h"

namespace storepulse::cli {

struct LiveStore {
  common::StoreSimulator simulator;
  std::unique_ptr<HttpClient> edge;
  int64_t start_ms = 0;  // the simulated instant the feed starts from
};

struct LiveOptions {
  double speed = 60;           // simulated seconds per wall-clock second
  int64_t max_ahead_ms = 0;    // how far the simulated clock may run ahead of the wall clock
  size_t batch_events = 5000;  // events per POST (the edge takes at most 10,000)
};

// What has been sent to one store's edge.
struct LiveStats {
  int64_t sim_ms = 0;     // the store's simulated clock: everything before it was delivered
  int64_t last_sent = 0;  // events delivered by the latest tick
  int64_t accepted = 0;
  int64_t duplicates = 0;
  int64_t rejected = 0;
  std::string problem;       // the latest rejection or failure, "" when the last tick was clean
  bool unreachable = false;  // the latest attempt could not reach the edge
};

class LiveFeeder {
 public:
  // REQUIRES: every store has an edge client; `clock` outlives the feeder.
  LiveFeeder(std::vector<LiveStore> stores, LiveOptions options, const common::Clock& clock);

  // Sends every store's events of the simulated time elapsed since its last delivery. A store
  // whose edge cannot be reached or fails keeps its window and tries again at the next tick. Not
  // OK only when an edge refuses in a way retrying cannot fix (bad token, not an edge).
  common::Status Tick();

  // "S1 14:03 +31 ev · S2 21:33 +12 ev" (each store's local simulated time).
  std::string ProgressLine() const;
  // One line per store: what was sent and how the edge answered.
  std::string Summary() const;
  const std::vector<LiveStats>& stats() const { return stats_; }

 private:
  int64_t SimulatedNow(const LiveStore& store, int64_t wall_ms) const;
  common::Status Feed(size_t index, int64_t until_ms);
  common::Status Post(size_t index, const std::vector<common::Event>& events, size_t begin,
                      size_t end);

  std::vector<LiveStore> stores_;
  LiveOptions options_;
  const common::Clock& clock_;
  int64_t wall_start_ms_;
  std::vector<LiveStats> stats_;
};

}  // namespace storepulse::cli
