// The targets file (`--targets-file`): the KPI targets central compares actuals with.
// CSV with the header `scope,kpi,period,target`, one target a row (docs/OPERATIONS.md):
//   scope   network | region:R | store:S
//   kpi     a KPI name of the KPI JSON (net_sales, conversion_rate, …)
//   period  day | week | month — each store's local day, ISO week (Monday–Sunday), calendar month
//   target  a number in the KPI's unit: money in minor units, rates as fractions 0–1
// Cells are trimmed; blank lines and lines whose first cell starts with '#' are skipped.
// A TargetList is immutable once loaded; central swaps in a new one on SIGHUP, so it is shared
// between threads through std::shared_ptr<const TargetList>.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace storepulse::common {

enum class TargetPeriod { kDay, kWeek, kMonth };

std::string_view TargetPeriodName(TargetPeriod period);  // "day", "week", "month"
// The inverse of TargetPeriodName; InvalidArgument naming the three.
StatusOr<TargetPeriod> ParseTargetPeriod(std::string_view text);
// OK for "network", "region:R" and "store:S" (R, S not empty).
Status CheckTargetScope(const std::string& scope);

struct Target {
  std::string scope;  // "network", "region:R" or "store:S"
  std::string kpi;
  TargetPeriod period = TargetPeriod::kDay;
  double target = 0;
  size_t line = 0;  // where it was read, for messages
};

using TargetList = std::vector<Target>;

// Every row is checked; InvalidArgument lists every bad line ("line 4: unknown KPI …; line 7: …"):
// a wrong header, a wrong number of cells, a bad scope, an unknown KPI, a bad period, a target that
// is not a number or out of the KPI's range (a fraction above 1), a (scope, kpi, period) repeated.
StatusOr<TargetList> ParseTargets(std::string_view text);

// An empty `path` is no targets. NotFound when the file cannot be read; ParseTargets' errors
// prefixed with the path.
StatusOr<std::shared_ptr<const TargetList>> LoadTargets(const std::string& path);

}  // namespace storepulse::common
