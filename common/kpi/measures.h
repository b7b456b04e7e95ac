// Base measures: the additive counters every KPI is computed from (SPEC §3).
//
// Measures are kept per store × 15-minute UTC bucket × channel, and summed to any scope; ratios are
// computed from the sums only (kpi_values.h), never averaged. Every sum is checked: a total that
// would leave the int64 range is an OutOfRange error, never a wrapped number (checked_math.h). The
// names below are also the column names of the measure tables in the edge and central databases.
// Plain values; thread-compatible.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string_view>

#include "common/event.h"
#include "common/status.h"

namespace storepulse::common {

inline constexpr int64_t kBucketMs = 15 * 60 * 1000;

// Index of the bucket holding `utc_ms` (floor division: correct before 1970 too).
inline int64_t BucketOf(int64_t utc_ms) {
  return utc_ms >= 0 ? utc_ms / kBucketMs : -((-utc_ms + kBucketMs - 1) / kBucketMs);
}

// One measure a line, appended at the end (kept as written: others append theirs).
// clang-format off
enum class Measure : int {
  kGrossSales,             // Σ line values of sales
  kTransactions,           // number of sales
  kStoreTransactions,      // sales with channel=store (conversion numerator)
  kUnitsSold,
  kReturnsValue,           // Σ line values of returns
  kReturns,                // number of returns
  kUnitsReturned,
  kWebReturns,             // returns with original_channel=web
  kWebReturnsValue,
  kFootfallIn,
  kFootfallOut,
  kIdentifiedTransactions,  // sales with a customer
  kIdentifiedSales,         // Σ line values of sales with a customer
  kIdentifiedReturnsValue,  // Σ line values of returns with a customer
  kNpsResponses,
  kNpsPromoters,            // scores 9–10
  kNpsDetractors,           // scores 0–6
  kCsatResponses,
  kCsatSatisfied,           // scores 4–5
  kShrinkUnits,
  kCcOrders,         // click & collect orders created
  kCcFromWarehouse,  // … of which sourced from the warehouse
  kSfsOrders,        // ship-from-store orders created
  kSfsStockCancels,  // ship-from-store orders cancelled for stock_error
  kPromisesJudged,   // orders reaching their fulfilment status with a promise
  kPromisesKept,     // … at or before the promise
  kLateMsSum,        // Σ lateness of the late ones, ms
  kDefectiveUnits,   // units of returns with reason=defective
  kLabourStaffS,     // staff-seconds worked on the floor (labour), pro rata per bucket
  kReadyOrders,      // click & collect and reserve orders ready, with a created time
  kReadyMsSum,       // … Σ created → ready, ms
  kDeliveredOrders,  // ship-from-store orders delivered, with a created time
  kDeliveryMsSum,    // … Σ created → delivered, ms
  kCount,            // not a measure: the number of measures
};

inline constexpr size_t kMeasureCount = static_cast<size_t>(Measure::kCount);

inline constexpr std::array<std::string_view, kMeasureCount> kMeasureNames = {
    "gross_sales",        "transactions",
    "store_transactions", "units_sold",
    "returns_value",      "returns",
    "units_returned",     "web_returns",
    "web_returns_value",  "footfall_in",
    "footfall_out",       "identified_transactions",
    "identified_sales",   "identified_returns_value",
    "nps_responses",      "nps_promoters",
    "nps_detractors",     "csat_responses",
    "csat_satisfied",     "shrink_units",
    "cc_orders",          "cc_from_warehouse",
    "sfs_orders",         "sfs_stock_cancels",
    "promises_judged",    "promises_kept",
    "late_ms_sum",        "defective_units",
    "labour_staff_s",     "ready_orders",
    "ready_ms_sum",       "delivered_orders",
    "delivery_ms_sum"};
// clang-format on

struct Measures {
  std::array<int64_t, kMeasureCount> v{};

  int64_t& operator[](Measure m) { return v[static_cast<size_t>(m)]; }
  int64_t operator[](Measure m) const { return v[static_cast<size_t>(m)]; }
  // Adds `other` measure by measure, all or nothing: OutOfRange naming the first measure whose sum
  // would leave the int64 range, and this left as it was.
  Status Add(const Measures& other);
  bool IsZero() const;
  bool operator==(const Measures&) const = default;
};

struct BucketKey {
  int64_t bucket = 0;  // BucketOf(ts)
  Channel channel = Channel::kStore;
  auto operator<=>(const BucketKey&) const = default;
};

// Deltas of a batch of events, folded per bucket and channel before they are written.
using MeasureDeltas = std::map<BucketKey, Measures>;

// The return reason that counts in defect_return_rate (docs/KPIS.md), matched exactly.
inline constexpr std::string_view kDefectiveReason = "defective";
inline bool IsDefectReturn(const Event& event) {
  return event.type == EventType::kReturn && event.reason == kDefectiveReason;
}
// The channel an order of `kind` counts in: click_collect, ship_from_store, and store for reserve.
Channel OrderChannel(OrderKind kind);

// What `event` adds to the base measures, and (into `channel`) the channel it counts in.
// REQUIRES: a validated event (its values are bounded, event_limits.h).
Measures MeasuresOf(const Event& event, Channel* channel);

// Adds what `event` contributes to the base measures into `deltas`, in the bucket of its `ts`; a
// labour interval is shared among the buckets it overlaps (labour_split.h). Which channel an event
// counts in: a sale its `channel`; a return its `original_channel`; footfall, stock and feedback
// without a channel count in `store`; an order in the channel of its kind. Documented in
// docs/KPIS.md. OutOfRange (and `deltas` unchanged) when a sum would overflow.
Status FoldEvent(const Event& event, MeasureDeltas* deltas);

}  // namespace storepulse::common
