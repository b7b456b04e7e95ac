// Breakdowns of the base measures by employee and by SKU, kept beside the per-channel measures so
// `by=employee` and `by=sku` answer from summed counters, like every other KPI. Employees are kept
// at both grains (15-minute buckets, local days) and answer any period; SKUs — thousands of rows
// per day — per local day only, so `by=sku` counts the whole days a period touches.
//
// The sources (common/source_ref.h: tills, people counters) are a breakdown too, per local day
// only: a row says the source reported that day, which is what each day's completeness is judged
// from (common/kpi/source_completeness.h), at the edge and at central alike. A till's row counts
// its sales (transactions) and returns, a counter's its footfall in and out.
//
// Each sale or return is credited once to its `employee` (empty when the till sent none), or a
// shared sale split among its `credits` (common/kpi/credit_split.h: employee rows keep counts in
// millionths), so the employees' rows sum to the store's sales and returns. Each line is credited
// to its `sku`: value and units per line (and its units as defective for a return with
// reason=defective), and a transaction counts once per SKU it contains. Plain values.
#pragma once

#include <array>
#include <compare>
#include <map>
#include <string>

#include "common/event.h"
#include "common/kpi/measures.h"

namespace storepulse::common {

enum class Dimension : int { kEmployee = 1, kSku = 2, kSource = 3 };

// SKUs and sources are kept per local day only (dims_day), employees at both grains.
inline bool KeptPerDayOnly(Dimension dimension) { return dimension != Dimension::kEmployee; }

struct DimensionKey {
  int64_t bucket = 0;  // BucketOf(ts)
  Dimension dimension = Dimension::kEmployee;
  std::string key;     // the employee id, the SKU, or SourceKey(source)
  auto operator<=>(const DimensionKey&) const = default;
};

using DimensionDeltas = std::map<DimensionKey, Measures>;

// The measures a SKU row can hold: FoldEventDimensions fills no other for a SKU (central's
// PostgreSQL keeps a column for each of these alone: central/pg_reporting.h).
inline constexpr std::array<Measure, 7> kSkuMeasures = {
    Measure::kGrossSales, Measure::kTransactions,  Measure::kUnitsSold,     Measure::kReturnsValue,
    Measure::kReturns,    Measure::kUnitsReturned, Measure::kDefectiveUnits};

// Adds what a sale or a return contributes per employee and per SKU, what an event of a source
// (SourceOf) adds to its source's row, and a labour event's staff-seconds to its employee's row
// (shared among buckets, labour_split.h; none without an employee); other events add nothing.
// OutOfRange when a sum would overflow (`deltas` may then hold part of the event: drop it).
Status FoldEventDimensions(const Event& event, DimensionDeltas* deltas);

}  // namespace storepulse::common
