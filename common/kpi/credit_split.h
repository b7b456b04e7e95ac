// Shared credit in the employee breakdown (docs/KPIS.md, "Shared credit"). A sale with `credits`
// (event.h) is split among its employees by share; every other sale and every return goes whole
// to its `employee`. So that a transaction can be 0.5 and the parts still add up exactly, an
// employee row keeps its counts (transactions, units, returns, …) in millionths — "credit units"
// — and its money in minor units, as every other row; each measure of a sale is split on its own
// by the largest-remainder rule, so the employees' parts of a sale sum exactly to its cents, its
// millionths of units and its one transaction, and the employees' rows to the store's.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/event.h"
#include "common/kpi/kpi_row.h"
#include "common/kpi/measures.h"

namespace storepulse::common {

// Millionths in one counted thing (a transaction, a unit) of an employee row.
inline constexpr int64_t kCreditUnitsPerCount = 1'000'000;

// True for the measures an employee row keeps in millionths: the counts a sale or a return adds.
// False for money, and for labour's staff-seconds, which an employee's row keeps whole.
bool IsCountedInCreditUnits(Measure measure);

// `whole` with its counts in millionths: what a sale or return adds to its one employee's row.
Measures InCreditUnits(const Measures& whole);

// `amount` (>= 0) in parts proportional to `weights` (each > 0): each part the floor of its
// exact share, and the units left over (fewer than weights.size()) one each to the parts with the
// largest remainders, the earlier part first on a tie. The parts sum to `amount` exactly.
std::vector<int64_t> SplitByLargestRemainder(int64_t amount, const std::vector<int64_t>& weights);

// The employee rows of a sale or a return whose whole measures are `whole` (MeasuresOf): one
// (employee, measures in credit units) per credit of a shared sale, in the credits' order, or one
// for the event's `employee`. REQUIRES: a validated event (ValidateEvent); every count of `whole`
// at most ~9.2e12, which the event limits keep far away.
std::vector<std::pair<std::string, Measures>> EmployeeCredits(const Event& event,
                                                              const Measures& whole);

// The KPI row of an employee row's sums, `credited` being in credit units: counts (transactions,
// units, returns, identified transactions, web returns in store) are doubles, possibly
// fractional; ratios (aov, upt, rates) come from the split sums.
KpiRow CreditedKpis(std::string key, const Measures& credited);

// The KPIs that are a count of the row in most groupings and a double (its credit units / 10^6)
// in by=employee rows.
bool IsCreditSplitKpi(Kpi kpi);

}  // namespace storepulse::common
