// How a labour interval's staff-seconds are shared among the 15-minute buckets it overlaps: pro
// rata by time, exactly. The share of the part [a, b) of the interval (ms from its start, P its
// length in ms, T its staff-seconds) is floor(T·b / P) − floor(T·a / P): integers that sum to T;
// for a `staff` interval that starts on a whole second, exactly staff × the part's seconds (so an
// interval across local midnight lands on each day as the staff worked it). docs/KPIS.md,
// "Staffing". Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

namespace storepulse::common {

struct LabourShare {
  int64_t bucket = 0;         // BucketOf of the part's start
  int64_t staff_seconds = 0;  // its share, ≥ 0
  bool operator==(const LabourShare&) const = default;
};

// The shares of an interval starting at `start_ms`, `period_s` long, of `staff_seconds` in all, in
// bucket order; buckets of a zero share are left out. REQUIRES: period_s ≥ 1, staff_seconds ≥ 0
// and at most kMaxStaff × kMaxPeriodS (event_limits.h).
std::vector<LabourShare> SplitLabour(int64_t start_ms, int64_t period_s, int64_t staff_seconds);

}  // namespace storepulse::common
