// Each local day's completeness: did every source the store knew — each till, each people counter
// (common/source_ref.h) — report that day? Conversion is meaningless on a day a door counter was
// dead, so the day's KPI row carries this beside it (docs/KPIS.md, "Completeness").
//
// The rule, from the events alone (so central judges a caught-up store as its edge does):
//   known(D)    = the sources that reported on D or on any of the kKnownSourceDays local days
//                 before it;
//   missing(D)  = known(D) − the sources that reported on D;
//   complete(D) = missing(D) is empty — or null when known(D) is empty (nothing to judge: a store
//                 whose events name no till and no sensor).
// "Reported on D" means an event of the source whose time falls in local day D (its row in the
// source breakdown, common/kpi/dimensions.h). A source first heard of on D is not missing on the
// days before; a source that stops is missing for kKnownSourceDays days, then forgotten.
// Pure functions over a MeasureReader; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "common/source_ref.h"
#include "common/status.h"

namespace storepulse::common {

class MeasureReader;

inline constexpr int64_t kKnownSourceDays = 7;

struct DayCompleteness {
  int64_t known = 0;               // sources known on the day
  std::vector<SourceRef> missing;  // the known ones that did not report, by kind then id

  // Null when no source is known.
  std::optional<bool> complete() const {
    if (known == 0) return std::nullopt;
    return missing.empty();
  }
  bool operator==(const DayCompleteness&) const = default;
};

// `reported`: local day → the sources that reported that day. Judges each day of
// [first_day, end_day) by the rule above.
std::map<int64_t, DayCompleteness> JudgeDays(
    const std::map<int64_t, std::set<SourceRef>>& reported, int64_t first_day, int64_t end_day);

// The same over the source rows `reader` holds (views and pending events). FailedPrecondition
// when the reader keeps no breakdowns.
StatusOr<std::map<int64_t, DayCompleteness>> ReadDayCompleteness(MeasureReader& reader,
                                                                 int64_t first_day,
                                                                 int64_t end_day);

}  // namespace storepulse::common
