// One store's last 24 hours, minute by minute, for the ops page's trends (GET /api/v1/fleet/trend):
// the events central applied from it in each UTC minute and the worst replication lag its
// heartbeats reported in that minute. A fixed ring of 1,440 minutes, 2 × 2 bytes each (5,760
// bytes of figures per store, whatever the traffic), kept in memory only: a restarted central
// starts with an empty history (docs/DASHBOARDS.md). Figures too large for a slot saturate (a
// minute of more than 65,535 events reads 65,535; a lag above 65,534 s reads 65,534).
// Time is passed in (`now_ms`), never read here. Not thread-safe: its owner (Fleet) locks.
#pragma once

#include <algorithm>
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
  // The same without allocating: `visit(i, events, lag_s)` for i from 0 (the oldest), lag_s -1
  // for none; `minutes` clamped to 1–kMinutes.
  template <typename Visit>
  void ForEach(int minutes, int64_t now_ms, Visit&& visit) const;

  // The minute of an instant: floor(ms / 60,000), also before 1970.
  static int64_t MinuteOf(int64_t ms);

 private:
  static constexpr uint16_t kNoLag = 0xFFFF;
  // The slot of `now_ms`'s minute, after moving the head forward to it (clearing the minutes
  // skipped); -1 for a minute already out of the ring.
  int Slot(int64_t now_ms);

  int64_t head_ = -1;  // the newest minute recorded; -1 before the first
  std::array<uint16_t, kMinutes> events_;
  std::array<uint16_t, kMinutes> lag_s_;
};

template <typename Visit>
void MinuteHistory::ForEach(int minutes, int64_t now_ms, Visit&& visit) const {
  minutes = std::clamp(minutes, 1, kMinutes);
  const int64_t first = MinuteOf(now_ms) - minutes + 1;
  // Held: the minutes recorded and not since overwritten, the day that ends at the head.
  const int64_t held_from = head_ < 0 ? 0 : std::max(first, head_ - kMinutes + 1);
  const int64_t held_to = head_ < 0 ? -1 : std::min(first + minutes - 1, head_);
  int slot = static_cast<int>(((held_from % kMinutes) + kMinutes) % kMinutes);
  for (int i = 0; i < minutes; ++i) {
    const int64_t m = first + i;
    if (m < held_from || m > held_to) {
      visit(i, int64_t{0}, int64_t{-1});
      continue;
    }
    visit(i, int64_t{events_[slot]}, lag_s_[slot] == kNoLag ? int64_t{-1} : int64_t{lag_s_[slot]});
    if (++slot == kMinutes) slot = 0;
  }
}

}  // namespace storepulse::central
