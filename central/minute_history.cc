#include "central/minute_history.h"

#include <algorithm>

namespace storepulse::central {

namespace {

int Index(int64_t minute) {
  int64_t i = minute % MinuteHistory::kMinutes;
  return static_cast<int>(i < 0 ? i + MinuteHistory::kMinutes : i);
}

}  // namespace

int64_t MinuteHistory::MinuteOf(int64_t ms) {
  return ms >= 0 ? ms / kMinuteMs : -((-ms + kMinuteMs - 1) / kMinuteMs);
}

MinuteHistory::MinuteHistory() {
  events_.fill(0);
  lag_s_.fill(kNoLag);
}

int MinuteHistory::Slot(int64_t now_ms) {
  const int64_t minute = MinuteOf(now_ms);
  if (head_ < 0) {
    head_ = minute;
  } else if (minute > head_) {
    // The minutes between are ones nothing happened in; a jump of a day or more clears them all.
    const int64_t skipped = std::min<int64_t>(minute - head_, kMinutes);
    for (int64_t m = minute - skipped + 1; m <= minute; ++m) {
      events_[Index(m)] = 0;
      lag_s_[Index(m)] = kNoLag;
    }
    head_ = minute;
  } else if (head_ - minute >= kMinutes) {
    return -1;  // the clock went back more than a day: that minute is gone
  }
  return Index(minute);
}

void MinuteHistory::AddEvents(int64_t events, int64_t now_ms) {
  const int slot = Slot(now_ms);
  if (slot < 0 || events <= 0) return;
  events_[slot] = static_cast<uint16_t>(std::min<int64_t>(events_[slot] + events, kMaxEvents));
}

void MinuteHistory::AddLag(int64_t lag_s, int64_t now_ms) {
  const int slot = Slot(now_ms);
  if (slot < 0) return;
  const auto lag = static_cast<uint16_t>(std::clamp<int64_t>(lag_s, 0, kMaxLagS));
  if (lag_s_[slot] == kNoLag || lag > lag_s_[slot]) lag_s_[slot] = lag;
}

std::vector<MinuteHistory::Point> MinuteHistory::Last(int minutes, int64_t now_ms) const {
  minutes = std::clamp(minutes, 1, kMinutes);
  const int64_t first = MinuteOf(now_ms) - minutes + 1;
  std::vector<Point> points(minutes);
  ForEach(minutes, now_ms, [&](int i, int64_t events, int64_t lag_s) {
    points[i] = {first + i, events, lag_s < 0 ? std::nullopt : std::optional<int64_t>(lag_s)};
  });
  return points;
}

}  // namespace storepulse::central
