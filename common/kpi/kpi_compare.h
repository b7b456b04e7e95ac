// Like-for-like comparison of a KPI query (SPEC §3): the same query over the same period one week
// (`previous_week`, 7 days) or 52 weeks (`previous_year`, 364 days: the same weekdays, so a
// Saturday compares with a Saturday) earlier, merged into the answer row by row (KpiAnswer's
// `compare`, common/kpi/kpi_answer.h), which reads in JSON:
//
//   {"from":…, "to":…, "scope":…, "by":…,
//    "compare": {"with":"previous_week", "days":7, "from":…, "to":…},
//    "rows":[{"key":…, <kpis>…,
//             "previous": {"key":…, <the same kpis over the earlier period>},
//             "delta":    {<kpi>: actual − previous, null when either is null},
//             "change":   {<kpi>: (actual − previous) / |previous|, null when previous is 0 or
//                          either is null}}]}
//
// Shifting: a local date moves by whole local days (each store's own midnight, whatever DST did in
// between); an RFC 3339 instant moves by days × 24 h (one instant for every store, as instants
// are); a defaulted end ("local today") moves to the local day `days` earlier in each store's zone.
// Matching: total ↔ total; day rows by the date shifted back; hour rows by the local wall-clock
// hour shifted back (the offset may differ across a DST change); any other key (channel, store,
// region, employee, sku) by itself. Rows are those of the current period; a key present only in the
// earlier period is not listed, and a row with no earlier counterpart compares with an empty one.
// Stateless; thread-safe if the readers are. Documented in docs/KPIS.md.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/kpi/kpi_query.h"
#include "common/status.h"

namespace storepulse::common {

// "" → kNone, "previous_week", "previous_year"; InvalidArgument naming the allowed values.
StatusOr<CompareWith> ParseCompareWith(std::string_view text);
std::string_view CompareWithName(CompareWith with);  // "none", "previous_week", "previous_year"
int64_t CompareShiftDays(CompareWith with);          // 0, 7, 364

// `request` over the period `days` earlier: dates by local days, instants by days × 24 h; empty
// ends stay empty (they follow ShiftedNowMs).
KpiRequest ShiftRequest(const KpiRequest& request, int64_t days);

// A "now" about days × 24 h earlier whose local day is, in every store's zone, its local today
// minus `days` — so that "today" defaults move by whole local days across a DST change. When no
// instant satisfies every store (zones whose midnights moved differently), exactly days × 24 h.
int64_t ShiftedNowMs(const std::vector<StoreSource>& stores, int64_t now_ms, int64_t days);

// Sets `current->compare` from `previous`, the answer of ShiftRequest(request) over the same
// stores: the earlier period and, for each row of `current`, its earlier row and the differences.
void MergeComparison(CompareWith with, const KpiAnswer& previous, KpiAnswer* current);

// RunKpiQuery; with `with` other than kNone, also over the earlier period, merged in.
StatusOr<KpiAnswer> RunKpiQueryCompared(const KpiRequest& request, CompareWith with,
                                        const std::vector<StoreSource>& stores, int64_t now_ms);

}  // namespace storepulse::common
