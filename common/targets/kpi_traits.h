// What central needs to know of a KPI to judge it against a target or a threshold: whether it
// accumulates over a period (a day's net sales grow through the day; a rate does not), whether
// lower is better (returns, shrink, cancellations, warehouse share, lateness), and whether it is a
// fraction 0–1 — read from the KPI catalogue (common/kpi/kpi_catalogue.h). The names are those of
// the KPI JSON (docs/KPIS.md). Pure functions; thread-safe.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace storepulse::common {

struct KpiTraits {
  bool cumulative = false;       // a sum over the period: judged pro rata to elapsed time
  bool lower_is_better = false;  // ahead means below the target
  bool fraction = false;         // a rate or share, 0–1
};

// Traits of `kpi`; a name it does not know is a level (not cumulative) where higher is better.
KpiTraits TraitsOf(std::string_view kpi);

// Every KPI name of the catalogue (every KPI a KPI row carries), the names a target may use.
const std::set<std::string>& KnownKpiNames();

}  // namespace storepulse::common
