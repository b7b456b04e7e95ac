// Distinct-customer KPIs (SPEC §3): customers, new_customers, recruitment_rate,
// purchase_frequency and clv. Unlike every other KPI they cannot be summed from counters, so they
// are computed from exact sets of customer ids: who bought in each 15-minute bucket, and when each
// customer first bought — at a store, and at central also in a region and in the network. "New"
// is judged at the scope asked: a customer who first bought in store A, later in B, is new in A
// and in B at store scope, and new once — in A — at network scope. So a store's figures are the
// same at its edge and at central, and the network's new customers are not the sum of the
// stores'. Exact, so no error bound; the cost is one row per identified purchase and bucket, and
// one per customer and local day so that a one-day query of one store reads a single count.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/status.h"

namespace storepulse::common {

// The identified purchases of one store.
class CustomerReader {
 public:
  using SeenSink = std::function<void(int64_t bucket, const std::string& customer)>;
  using FirstSink = std::function<void(int64_t first_ms, const std::string& customer)>;
  virtual ~CustomerReader() = default;
  // Every (bucket, customer) with an identified sale, bucket in [from_bucket, to_bucket).
  virtual Status ReadSeen(int64_t from_bucket, int64_t to_bucket, const SeenSink& sink) = 0;
  // The distinct customers of each local day in [from_day, to_day) that has them counted (the
  // buckets starting in the day); a day not given must be read with ReadSeen.
  using DayCountSink = std::function<void(int64_t day, int64_t customers)>;
  virtual Status ReadDayCounts(int64_t from_day, int64_t to_day, const DayCountSink& sink) = 0;
  // Customers whose first identified sale at this store lies in [from_ms, to_ms).
  virtual Status ReadFirsts(int64_t from_ms, int64_t to_ms, const FirstSink& sink) = 0;
};

// First purchases at a wider scope than a store (central only): "network" or "region:R".
class ScopeFirstsReader {
 public:
  using Sink = std::function<void(int64_t first_ms, const std::string& store,
                                  const std::string& customer)>;
  virtual ~ScopeFirstsReader() = default;
  virtual Status ReadFirsts(const std::string& scope, int64_t from_ms, int64_t to_ms,
                            const Sink& sink) = 0;
};

}  // namespace storepulse::common
