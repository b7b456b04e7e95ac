// Limits of the input contract (SPEC §2). One place, so every ingest path refuses the same things.
#pragma once

#include <cstddef>
#include <cstdint>

namespace storepulse::common {

// One event's compact JSON form, whatever encoding carried it (event_size.h; docs/INGEST.md).
inline constexpr size_t kMaxEventBytes = 64 * 1024;
// Containers nested in one event, its own object included (event_size.h).
inline constexpr size_t kMaxEventDepth = 32;
inline constexpr size_t kMaxBatchEvents = 10'000;          // events in one batch
inline constexpr size_t kMaxBatchBytes = 16 * 1024 * 1024; // one batch's body
// One ZeroMQ ingest frame. A batch frame up to this size gets the batch size error as its reply;
// libzmq drops the connection of a producer that sends a larger one, before the frame exists, so
// nothing can answer it (docs/INGEST.md, "Producing over ZeroMQ").
inline constexpr size_t kMaxIngestFrameBytes = 2 * kMaxBatchBytes;
inline constexpr size_t kMaxIdBytes = 64;
inline constexpr size_t kMaxTextBytes = 256;  // every other string field
inline constexpr size_t kMaxLines = 1000;
// Shared credit of a sale (docs/INGEST.md): at most this many contributors, each share in
// millionths, the shares summing to 1 within the tolerance (0.001: three shares typed as 0.333,
// 0.333, 0.334 or 0.3333 each pass; 0.33 each does not).
inline constexpr size_t kMaxCredits = 10;
inline constexpr int64_t kCreditShareOne = 1'000'000;
inline constexpr int64_t kCreditShareTolerancePpm = 1'000;
inline constexpr int64_t kMaxQty = 100'000;                   // units on one line
inline constexpr int64_t kMaxUnitPrice = 1'000'000'000;        // minor units (10 M in currency)
// Money that no real till reaches (100 M in currency), so that no plausible history comes near
// int64: a network of 10,000 stores each booking one sale of kMaxEventValue every day for 100
// years sums to 3.65e18, under INT64_MAX (9.22e18). Sums beyond are refused anyway
// (checked_math.h). docs/KPIS.md, "Limits and overflow".
inline constexpr int64_t kMaxLineValue = 10'000'000'000;   // qty × unit_price of one line
inline constexpr int64_t kMaxEventValue = 10'000'000'000;  // Σ line values of one sale or return
inline constexpr int64_t kMaxFootfall = 1'000'000;             // people in one interval
inline constexpr int64_t kMaxPeriodS = 86'400;                 // footfall or labour interval
// People on a store's floor at once in one labour event: a hypermarket has a few hundred.
// With kMaxPeriodS, one event's staff-seconds are at most 8.64e8, so ~1e10 events of the largest
// value go into one row before int64 (docs/KPIS.md, "Staffing").
inline constexpr int64_t kMaxStaff = 10'000;
inline constexpr int64_t kMaxStockQty = 1'000'000'000;         // units in one stock movement
inline constexpr int64_t kMinTsMs = 946'684'800'000;           // 2000-01-01T00:00:00Z
inline constexpr int64_t kMaxFutureSkewMs = 24LL * 3600 * 1000;  // ts may be this far ahead of now
inline constexpr int64_t kMaxPromiseAheadMs = 366LL * 24 * 3600 * 1000;

}  // namespace storepulse::common
