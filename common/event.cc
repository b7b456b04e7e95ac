#include "common/event.h"

namespace storepulse::common {

// Sums are exact for validated events (event_validator.h): the value is at most kMaxEventValue,
// the units at most kMaxLines × kMaxQty, both far below INT64_MAX (event_limits.h).
int64_t Event::LinesValue() const {
  int64_t total = 0;
  for (const Line& line : lines) total += line.Value();
  return total;
}

int64_t Event::LinesUnits() const {
  int64_t total = 0;
  for (const Line& line : lines) total += line.qty;
  return total;
}

int64_t Event::LabourStaffSeconds() const {
  if (hours_s) return *hours_s;
  return staff.value_or(0) * period_s;
}

}  // namespace storepulse::common
