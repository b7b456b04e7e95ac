// One store's last 24 hours, minute by minute, for the ops page's trends (GET /api/v1/fleet/trend):
// the events central applied from it in each UTC minute and the worst replication lag its
// heartbeats reported in that minute. A fixed ring of 1,440 minutes, 2 × 2 bytes each (5,760
// bytes of figures per store, whatever the traffic), kept in memory only: a restarted central
// starts with an empty history (docs/DASHBOARDS.md). Figures too large for a slot saturate (a
// minute of more than 65,535 events reads 65,535; a lag above 65,534 s reads 65,534).
// Time is passed in (`now_ms`), never read here. Not thread-safe: its owner (Fleet) locks.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace storepulse::central {

class MinuteHistory {
 public:
  static constexpr int kMinutes = 1440;  // 24 hours
  static constexpr int64_t kMinuteMs = 60'000;
  static constexpr int64_t kMaxEvents = 65'535;  // per minute; more reads as this
  static constexpr int64_t kMaxLagS = 65'534;    // 18 h 12 min; longer reads as this

  // One minute: [minute × 60 s, +60 s) UTC. `lag_s` is empty when no heartbeat came that minute.
  struct Point {
    int64_t minute = 0;  // minutes since the Unix epoch
    int64_t events = 0;
    std::optional<int64_t> lag_s;
  };

  MinuteHistory();

  // Adds `events` applied at `now_ms` to its minute.
  void AddEvents(int64_t events, int64_t now_ms);
  // A heartbeat's lag at `now_ms`: the minute keeps the worst.
  void AddLag(int64_t lag_s, int64_t now_ms);

  // The `minutes` (1 to kMinutes) minutes that end with the minute of `now_ms`, oldest first.
  // Minutes nothing was recorded in read as 0 events and no lag.
  std::vector<Point> Last(int minutes, int64_t now_ms) const;

 private:
  static constexpr uint16_t kNoLag = 0xFFFF;
  // The slot of `now_ms`'s minute, after moving the head forward to it (clearing the minutes
  // skipped); -1 for a minute already out of the ring.
  int Slot(int64_t now_ms);

  int64_t head_ = -1;  // the newest minute recorded; -1 before the first
  std::array<uint16_t, kMinutes> events_;
  std::array<uint16_t, kMinutes> lag_s_;
};

}  // namespace storepulse::central
