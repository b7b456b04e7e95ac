// Distinct-customer KPIs (SPEC §3): customers, new_customers, recruitment_rate,
// purchase_frequency and clv. They cannot be summed from counters. "New" is judged at the scope
// asked: a customer who first bought in store A, later in B, is new in A and in B at store scope,
// and new once — in A — at network scope. So a store's figures are the same at its edge and at
// central, and the network's new customers are not the sum of the stores'.
//
// What is kept (common/store/customer_table.h, docs/KPIS.md "Identified customers"):
//  - exact sets: who bought in each 15-minute bucket, and when each customer first bought — at a
//    store, and at central also in a region and in the network;
//  - views per scope ("store:S"; at central also "region:R" and "network") and local day (each
//    store's own local day number): a HyperLogLog sketch of the day's customers
//    (common/sketch/hyperloglog.h), and the number of customers whose first purchase at that
//    scope falls on that day (exact, corrected when a late event moves a first purchase earlier);
//  - at the edge, the exact number of distinct customers of each of its local days.
// One store's one local day is counted exactly; a row over several local days or several stores
// unions sketches (standard error 0.81 %). New customers are always exact.
//
// Identity (issue 15): customer_link events join ids of one person (common/kpi/customer_persons.h).
// A row whose scope has links counts persons, from the exact sets (docs/KPIS.md, "One customer
// across identities").
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/kpi/measures.h"
#include "common/sketch/hyperloglog.h"
#include "common/status.h"

namespace storepulse::common {

// The names of the views' scopes.
inline constexpr std::string_view kNetworkScope = "network";
inline std::string StoreScope(std::string_view store) { return "store:" + std::string(store); }
inline std::string RegionScope(std::string_view region) {
  return "region:" + std::string(region);
}

// The identified purchases of one store.
class CustomerReader {
 public:
  using SeenSink = std::function<void(int64_t bucket, const std::string& customer)>;
  using FirstSink = std::function<void(int64_t first_ms, const std::string& customer)>;
  using DayCountSink = std::function<void(int64_t day, int64_t customers)>;
  using SketchSink = std::function<void(int64_t day, const HyperLogLog& customers)>;
  using LinkSink = std::function<void(const std::string& customer, const std::string& alias)>;
  using ChannelSink =
      std::function<void(int64_t bucket, const std::string& customer, Channel channel)>;
  virtual ~CustomerReader() = default;
  // Every (bucket, customer) with an identified sale, bucket in [from_bucket, to_bucket).
  virtual Status ReadSeen(int64_t from_bucket, int64_t to_bucket, const SeenSink& sink) = 0;
  // The distinct customers of each local day in [from_day, to_day) that has them counted (the
  // buckets starting in the day); a day not given must be read with ReadSeen.
  virtual Status ReadDayCounts(int64_t from_day, int64_t to_day, const DayCountSink& sink) = 0;
  // Customers whose first identified sale at this store lies in [from_ms, to_ms).
  virtual Status ReadFirsts(int64_t from_ms, int64_t to_ms, const FirstSink& sink) = 0;

  // Whether the views below hold the whole history: false in a database made before them until
  // BackfillCustomerSketches has run (common/store/customer_backfill.h). While false, the figures
  // are computed from the exact sets alone (slower, and exact).
  virtual StatusOr<bool> ViewsReady() = 0;
  // The sketch of each local day in [from_day, to_day) with an identified sale (the buckets
  // starting in the day). Internal, naming the row, for a stored sketch that cannot be read.
  virtual Status ReadDaySketches(int64_t from_day, int64_t to_day, const SketchSink& sink) = 0;
  // The customers whose first identified sale at this store falls on each local day in
  // [from_day, to_day), for days with any.
  virtual Status ReadNewDayCounts(int64_t from_day, int64_t to_day, const DayCountSink& sink) = 0;

  // The store's own customer links, each pair once (customer < alias). None by default.
  virtual Status ReadLinks(const LinkSink& sink) {
    (void)sink;
    return OkStatus();
  }
  // Every (bucket, customer, channel) of an identified sale, bucket in [from_bucket, to_bucket).
  // None by default.
  virtual Status ReadChannels(int64_t from_bucket, int64_t to_bucket, const ChannelSink& sink) {
    (void)from_bucket, (void)to_bucket, (void)sink;
    return OkStatus();
  }
  // The first identified sale of `customer` at this store; nothing if it never bought here.
  virtual StatusOr<std::optional<int64_t>> ReadFirstOf(const std::string& customer) {
    (void)customer;
    return std::optional<int64_t>();
  }
};

// What central keeps at a wider scope than a store: "network" or "region:R".
class ScopeFirstsReader {
 public:
  using Sink = std::function<void(int64_t first_ms, const std::string& store,
                                  const std::string& customer)>;
  using SketchSink = CustomerReader::SketchSink;
  using DayCountSink = CustomerReader::DayCountSink;
  // A store whose sales are in a scope's views on local days [first_day, last_day].
  using MemberSink = std::function<void(const std::string& scope, const std::string& store,
                                        int64_t first_day, int64_t last_day)>;
  using StoreLinkSink = std::function<void(const std::string& store, const std::string& customer,
                                           const std::string& alias)>;
  struct ScopeFirst {
    int64_t first_ms = 0;
    std::string store;
  };
  virtual ~ScopeFirstsReader() = default;
  // Every store's customer links (the network's), each pair of a store once. None by default.
  virtual Status ReadAllLinks(const StoreLinkSink& sink) {
    (void)sink;
    return OkStatus();
  }
  // The first identified sale of `customer` at the scope, with its store; nothing if none.
  virtual StatusOr<std::optional<ScopeFirst>> ReadFirstOf(const std::string& scope,
                                                          const std::string& customer) {
    (void)scope, (void)customer;
    return std::optional<ScopeFirst>();
  }
  // First purchases at the scope in [from_ms, to_ms), with the store each happened in.
  virtual Status ReadFirsts(const std::string& scope, int64_t from_ms, int64_t to_ms,
                            const Sink& sink) = 0;
  // As CustomerReader's, for the scope: the union of its stores' day sketches, and its first
  // purchases per local day of the store each happened in.
  virtual Status ReadDaySketches(const std::string& scope, int64_t from_day, int64_t to_day,
                                 const SketchSink& sink) = 0;
  virtual Status ReadNewDayCounts(const std::string& scope, int64_t from_day, int64_t to_day,
                                  const DayCountSink& sink) = 0;
  // The stores of every scope whose name starts with `prefix` ("network", or "region:" for all
  // regions), as they were when their sales were stored: a scope's views stand for a set of stores
  // only if these match it (a store moved to another region or out of the stores file does not).
  virtual Status ReadMembers(std::string_view prefix, const MemberSink& sink) = 0;
  // Whether the scopes' summed measures below can be read: false by default, and while a database
  // of an older version still lacks them. The stores are then read one by one.
  virtual StatusOr<bool> MeasureDaysReady() { return false; }
  // The scope's summed measures per local day in [from_day, to_day) and channel (its members' day
  // rows, common/store/scope_measures.h); `sink` as MeasureReader's.
  virtual Status ReadMeasureDays(
      const std::string& scope, int64_t from_day, int64_t to_day,
      const std::function<void(int64_t day, Channel channel, const Measures& m)>& sink) {
    (void)scope, (void)from_day, (void)to_day, (void)sink;
    return FailedPrecondition("this reader has no region or network measures");
  }
};

}  // namespace storepulse::common
