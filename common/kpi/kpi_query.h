// The KPI query engine: resolves a period in each store's local calendar, reads summed measures
// from a MeasureReader per store, groups them (total, day, hour, channel, store, region) and turns
// each group into a typed KPI row (common/kpi/kpi_answer.h; JSON is made at the HTTP border,
// common/kpi/kpi_json.h). Used by the edge (one store) and central (many) alike, so a caught-up
// store's KPIs are the same at both. Stateless; thread-safe if the readers are.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/kpi/customers.h"
#include "common/kpi/dimensions.h"
#include "common/kpi/kpi_answer.h"
#include "common/kpi/measures.h"
#include "common/kpi/stock_kpis.h"
#include "common/reference/catalogue.h"
#include "common/status.h"
#include "common/time_zone.h"

namespace storepulse::common {

// "total|day|hour|channel|store|region|employee|sku|category"; InvalidArgument naming the allowed
// values otherwise.
StatusOr<GroupBy> ParseGroupBy(std::string_view text);
// The name ParseGroupBy accepts for `by`.
std::string_view GroupByName(GroupBy by);

// Summed measures of one store, at two grains: 15-minute UTC buckets and the store's local days.
// Implementations sum every channel's row of a bucket/day into `sink` per channel. The day row of
// local day d must hold exactly the buckets whose start instant falls in d
// (TimeZone::LocalDayOf(bucket * kBucketMs) == d), so that both grains agree.
enum class Grain { kBucket, kDay };

class MeasureReader {
 public:
  using Sink = std::function<void(int64_t index, Channel channel, const Measures& m)>;
  using KeyedSink =
      std::function<void(int64_t index, const std::string& key, const Measures& m)>;
  virtual ~MeasureReader() = default;
  // Rows with BucketOf-index in [from_bucket, to_bucket).
  virtual Status ReadBuckets(int64_t from_bucket, int64_t to_bucket, const Sink& sink) = 0;
  // Rows with local day number in [from_day, to_day).
  virtual Status ReadDays(int64_t from_day, int64_t to_day, const Sink& sink) = 0;
  // Whether the region and network day rows (ScopeFirstsReader::ReadMeasureDays, central) hold
  // this reader's stored day rows, so that a query may read those instead and only the pending
  // rows from here. False unless a reader says so: a reader that clips or invents rows does not.
  virtual bool InScopeViews() const { return false; }
  // The day rows of [from_day, to_day) the stored views do not hold yet (the pending tail).
  virtual Status ReadPendingDays(int64_t from_day, int64_t to_day, const Sink& sink) {
    (void)from_day, (void)to_day, (void)sink;
    return OkStatus();
  }
  // The employee or SKU breakdown (common/kpi/dimensions.h) at one grain, index in [from, to).
  virtual Status ReadDimension(Dimension dimension, Grain grain, int64_t from, int64_t to,
                               const KeyedSink& sink) {
    (void)dimension, (void)grain, (void)from, (void)to, (void)sink;
    return FailedPrecondition("this reader has no employee or SKU breakdown");
  }
};

struct StoreSource {
  std::string store;
  std::string region;
  const TimeZone* zone = nullptr;   // not owned
  MeasureReader* reader = nullptr;  // not owned
  double area_m2 = 0;               // sales area; 0 when unknown (sales_per_m2 is then null)
  StockReader* stock = nullptr;     // not owned; none: the stock KPIs are null
  CustomerReader* customers = nullptr;  // not owned; none: the customer KPIs are null
  // The views of the region and the network this store is part of — first purchases, day
  // sketches, day measures (central only; the same reader for every store). Without it, new
  // customers are judged per store and every store's rows are read.
  ScopeFirstsReader* scope_firsts = nullptr;
};

struct KpiRequest {
  std::string from;  // RFC 3339 instant or local date YYYY-MM-DD; empty: start of local today
  std::string to;    // same; empty: end of local today (or the day after `from` when it is a date)
  GroupBy by = GroupBy::kTotal;
  std::string scope = "store";  // echoed in the answer
  // The product catalogue (common/reference/catalogue.h): by=category keys SKUs by its categories,
  // the cost and margin KPIs cost units with it (common/kpi/margin_book.h). None: every SKU is in
  // category "(none)" and no unit has a cost.
  std::shared_ptr<const Catalogue> catalogue = nullptr;
  // Whether total, day, store and region rows get their cost and margin KPIs, which reads every
  // SKU-day row of the period (docs/KPIS.md, "Cost and margin": a network month is every store's
  // SKU rows). false: those four KPIs are null there and nothing more is read (`margins=0`, for
  // the pages and alerts that show no margin). by=sku and by=category rows are costed anyway.
  bool margins = true;
};

// The answer of SPEC §6 (as JSON: {"from":…, "to":…, "scope":…, "by":…, "rows":[…]}). Each store's
// period is resolved in its own zone (a date is that store's local midnight); instants are floored
// to 15-minute buckets.
// InvalidArgument for a bad date/instant or an empty period; a reader's error, with the store id.
// Rows are sorted by key (hour rows by their instant, so a fall-back night's two 02:00 hours come
// in order); `total` always yields one row, even with no data; by=store/region lists every store or
// region passed in, with zeros if it had no data; other groupings list only keys with data.
// `now_ms` defines "local today" for the defaults. The rules are written up in docs/KPIS.md.
StatusOr<KpiAnswer> RunKpiQuery(const KpiRequest& request, const std::vector<StoreSource>& stores,
                                int64_t now_ms);

// The instants [from_ms, to_ms) that `request` covers in `zone`, as RunKpiQuery reads them.
StatusOr<std::pair<int64_t, int64_t>> ResolvePeriod(const KpiRequest& request,
                                                    const TimeZone& zone, int64_t now_ms);

}  // namespace storepulse::common
