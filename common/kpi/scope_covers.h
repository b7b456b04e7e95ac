// Where a region's or the network's own views (day sketches, new customers per day; central only)
// can stand for a group of stores' rows: a network month is then ~30 sketches and ~30 counts,
// not 30 per store. They can when the group is exactly the stores whose sales the views hold on
// those days (ScopeFirstsReader::ReadMembers): a store gone from the stores file, or moved to
// another region, leaves the old views holding other stores, and its days are then read store by
// store. Internal to common/kpi; not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/kpi/customer_rows.h"
#include "common/kpi/customers.h"
#include "common/kpi/kpi_query.h"

namespace storepulse::common {

// The local days [first_day, end_day) on which `scope`'s views answer for all of `stores`.
struct ScopeCover {
  std::string scope;
  int64_t first_day = 0, end_day = 0;
  std::vector<const StorePeriod*> stores;
  // Whether every store's period is exactly these days (then its new customers are the scope's
  // counts too).
  bool Exact() const;
};

// The covers of a query: one per row group — every store for by=total and by=day (the scope
// asked), each region's stores for by=region — of at least two stores, over the whole days all of
// them share, when the members recorded for those days are exactly the group. None for other
// groupings, at the edge, or when `reader` is null.
StatusOr<std::vector<ScopeCover>> PlanScopeCovers(GroupBy by, const std::string& scope,
                                                  const std::vector<StorePeriod>& periods,
                                                  ScopeFirstsReader* reader);

}  // namespace storepulse::common
