// A simulated store's local day: when it opens and closes (in UTC, from the local opening hours
// and the store's IANA zone, DST included), and how busy the day is. Also the opening-hours
// arithmetic orders need ("two hours of opening time after t"). PlanCache memoises plans for
// one generation call: not thread-safe, one per call.
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>

#include "common/sim/sim_ids.h"
#include "common/sim/sim_model.h"

namespace storepulse::common::sim {

struct DayPlan {
  int64_t day = 0;       // local day number (days since 1970-01-01, local calendar)
  int weekday = 0;       // 0 = Monday … 6 = Sunday
  int64_t start_ms = 0;  // local midnight, UTC ms
  int64_t end_ms = 0;    // the next local midnight
  bool open = false;
  int64_t open_ms = 0;    // opening, on a slot boundary
  int64_t close_ms = 0;   // closing, on a slot boundary
  int open_wall_min = 0;  // local wall-clock minute of open_ms

  double visitors = 0;       // expected footfall in over the day
  double conversion = 0;     // the day's mean conversion
  double online_factor = 0;  // online activity relative to an average day
  double curve_total = 0;    // Σ FootfallCurve over the open slots
  int64_t count_ms = -1;     // the weekly stock count (Monday, 90 min before opening), or -1
  int64_t delivery_ms = -1;  // the morning delivery (Monday–Saturday, 1 h before opening), or -1

  bool IsOpenSlot(int64_t slot_start) const {
    return open && slot_start >= open_ms && slot_start + kSlotMs <= close_ms;
  }
  int64_t OpenSlots() const { return open ? (close_ms - open_ms) / kSlotMs : 0; }
  // Share of the day's footfall expected in an open slot.
  double FootfallShare(int64_t slot_start) const;
  // The local quarter-hour (0–95) a slot starts in; approximate on DST days.
  int Quarter(int64_t slot_start) const;
};

class PlanCache {
 public:
  explicit PlanCache(const SimModel& model) : model_(model) {}
  PlanCache(const PlanCache&) = delete;
  PlanCache& operator=(const PlanCache&) = delete;

  const DayPlan& ForDay(int64_t local_day);
  // The plan of the local day holding `utc_ms`.
  const DayPlan& ForInstant(int64_t utc_ms);
  const SimModel& model() const { return model_; }

 private:
  const SimModel& model_;
  std::unordered_map<int64_t, DayPlan> by_day_;
  std::map<int64_t, const DayPlan*> by_start_;  // start_ms → plan
};

// The first instant >= t at which the store is open, or -1 when it is closed for two weeks.
int64_t NextOpen(PlanCache& plans, int64_t t);
// The instant `minutes` of opening time after t (t itself moved to the next opening first).
int64_t AddOpenMinutes(PlanCache& plans, int64_t t, int64_t minutes);

}  // namespace storepulse::common::sim
