// A store's local day summed up for the day sign-off (docs/OPERATIONS.md, "Day sign-off"): how
// many events, the base measures' totals (common/kpi/measures.h: what every KPI of the day is
// built from) and a digest of the events' ids. The edge computes it over what it stored, central
// over what it applied, both with this code: equal figures certify the day.
//
// The ids digest is order-independent (the two sides store in different orders): SHA-256 over
// the ids sorted bytewise, each followed by one NUL byte (ids never hold NUL), as 64 lower-case
// hex digits. A day without events digests the empty string.
// Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/event.h"
#include "common/kpi/measures.h"
#include "common/status.h"

namespace storepulse::common {

struct DayFigures {
  int64_t events = 0;
  // The base measures summed over the day's events, only those not zero, by measure name.
  std::map<std::string, int64_t> totals;
  std::string ids_hash;  // 64 hex digits
  bool operator==(const DayFigures&) const = default;
};

// Adds the events of one day, in any order, then Finish().
class DayFiguresBuilder {
 public:
  // OutOfRange when a total would leave the int64 range (the figures are then unusable).
  // REQUIRES: a validated event (event_validator.h).
  Status Add(const Event& event);
  DayFigures Finish();

 private:
  int64_t events_ = 0;
  Measures totals_;
  std::vector<std::string> ids_;
  Status overflow_;
};

// The order-independent digest described above.
std::string DayIdsHash(std::vector<std::string> ids);

// What differs between the edge's figures and central's, for people: "events: edge 12, central
// 11", "gross_sales: edge 1000, central 900", "ids hash". Empty when equal.
std::vector<std::string> DescribeDayDifferences(const DayFigures& edge, const DayFigures& central);

}  // namespace storepulse::common
