// Instants as text: RFC 3339 parsing and formatting, and the Clock that injects "now" (STYLE rule 9).
// Times are int64 UTC milliseconds since the Unix epoch everywhere in storepulse.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace storepulse::common {

// "2026-11-22T10:15:00Z", "2026-11-22T11:15:00.250+01:00", lower-case t/z too. Any offset.
StatusOr<int64_t> ParseRfc3339(std::string_view text);
// RFC 3339 in UTC with milliseconds: "2026-11-22T10:15:00.000Z".
std::string FormatRfc3339Utc(int64_t utc_ms);

// Source of the current time. Implementations must be thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMs() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override;
};

// Milliseconds since an arbitrary start that only ever move forward (CLOCK_MONOTONIC): for
// intervals — timeouts, heartbeats, back-offs, refresh periods — which a step of the wall clock
// (NTP, a clock set by hand) must neither stretch by an hour nor cut short. Never an instant to
// store or show.
class MonotonicClock final : public Clock {
 public:
  int64_t NowMs() const override;
};

// A clock that tests set by hand.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t now_ms) : now_ms_(now_ms) {}
  int64_t NowMs() const override { return now_ms_; }
  void Set(int64_t now_ms) { now_ms_ = now_ms; }

 private:
  int64_t now_ms_;
};

}  // namespace storepulse::common
