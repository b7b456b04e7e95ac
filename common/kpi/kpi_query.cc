#include "common/kpi/kpi_query.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <utility>

#include "common/kpi/credit_split.h"
#include "common/kpi/customer_figures.h"
#include "common/kpi/customer_rows.h"
#include "common/kpi/kpi_values.h"
#include "common/kpi/margin_book.h"
#include "common/kpi/margin_rows.h"
#include "common/kpi/scope_covers.h"
#include "common/kpi/source_completeness.h"
#include "common/time_util.h"
#include "common/utf8.h"

namespace storepulse::common {
namespace {

constexpr std::array<std::string_view, 9> kGroupByNames = {
    "total", "day", "hour", "channel", "store", "region", "employee", "sku", "category"};

// The row key of a sale or return that came without an employee.
constexpr std::string_view kUnattributed = "(unattributed)";

// One end of the period as asked, before a store's zone turns it into an instant.
struct Endpoint {
  enum class Kind { kDate, kInstant, kToday };
  Kind kind = Kind::kToday;
  int64_t value = 0;  // kDate: local day number; kInstant: UTC ms, bucket-aligned;
                      // kToday: days after the store's local today (0 or 1)
};

struct PeriodSpec {
  Endpoint from;
  Endpoint to;
};

StatusOr<Endpoint> ParseEndpoint(const std::string& name, std::string_view text) {
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {  // shaped like a date
    StatusOr<int64_t> day = TimeZone::ParseLocalDate(text);
    if (!day.ok()) return InvalidArgument(name + ": " + day.status().message());
    return Endpoint{Endpoint::Kind::kDate, *day};
  }
  StatusOr<int64_t> ms = ParseRfc3339(text);
  if (!ms.ok()) {
    return InvalidArgument(name + ": " + QuoteForMessage(text) +
                           " is neither an RFC 3339 instant (2026-11-22T10:15:00Z) nor a local "
                           "date (2026-11-22)");
  }
  return Endpoint{Endpoint::Kind::kInstant, BucketOf(*ms) * kBucketMs};
}

// Applies the defaults: no `from` is the start of local today; no `to` is the day after a date
// `from`, else the end of local today.
StatusOr<PeriodSpec> ParsePeriod(const KpiRequest& request) {
  PeriodSpec p{{Endpoint::Kind::kToday, 0}, {Endpoint::Kind::kToday, 1}};
  if (!request.from.empty()) {
    ASSIGN_OR_RETURN(p.from, ParseEndpoint("from", request.from));
  }
  if (!request.to.empty()) {
    ASSIGN_OR_RETURN(p.to, ParseEndpoint("to", request.to));
  } else if (p.from.kind == Endpoint::Kind::kDate) {
    p.to = {Endpoint::Kind::kDate, p.from.value + 1};
  }
  // Two dates or two instants compare without a zone; a mix is checked per store.
  const bool comparable = p.from.kind == p.to.kind && p.from.kind != Endpoint::Kind::kToday;
  if (comparable && p.to.value <= p.from.value) {
    return InvalidArgument("empty period: to (" + request.to + ") must be after from (" +
                           request.from + "); instants are floored to 15 minutes");
  }
  return p;
}

int64_t ResolveMs(const Endpoint& e, const TimeZone& zone, int64_t now_ms) {
  switch (e.kind) {
    case Endpoint::Kind::kDate:
      return zone.LocalDayStartMs(e.value);
    case Endpoint::Kind::kInstant:
      return e.value;
    case Endpoint::Kind::kToday:
      break;
  }
  return zone.LocalDayStartMs(zone.LocalDayOf(now_ms) + e.value);
}

// How an endpoint is echoed: a date as a date, an instant in UTC, "today" as the store's date.
std::string Label(const Endpoint& e, const TimeZone& zone, int64_t now_ms) {
  switch (e.kind) {
    case Endpoint::Kind::kDate:
      return TimeZone::FormatLocalDate(e.value);
    case Endpoint::Kind::kInstant:
      return FormatRfc3339Utc(e.value);
    case Endpoint::Kind::kToday:
      break;
  }
  return TimeZone::FormatLocalDate(zone.LocalDayOf(now_ms) + e.value);
}

// The label every store agrees on, or nothing when their local todays differ (or there is no
// store to say what "today" is).
std::optional<std::string> EndpointLabel(const Endpoint& e, const std::vector<StoreSource>& stores,
                                         int64_t now_ms) {
  if (e.kind == Endpoint::Kind::kDate) return TimeZone::FormatLocalDate(e.value);
  if (e.kind == Endpoint::Kind::kInstant) return FormatRfc3339Utc(e.value);
  std::optional<std::string> label;
  for (const StoreSource& s : stores) {
    std::string own = Label(e, *s.zone, now_ms);
    if (label && *label != own) return std::nullopt;
    label = std::move(own);
  }
  return label;
}

// Sums rows into groups. The rank orders hour rows by instant; it is 0 for every other grouping,
// which then sorts by key alone. Sums are checked: the first that would overflow is kept in
// status() and the rest of the rows are ignored.
class Grouper {
 public:
  explicit Grouper(GroupBy by) : by_(by) {}

  void Seed(const std::string& key) { rows_[{0, key}]; }

  void AddBucket(const StoreSource& s, int64_t bucket, Channel channel, const Measures& m) {
    const int64_t start_ms = bucket * kBucketMs;
    if (by_ == GroupBy::kDay) {
      Add(DayRow(s.zone->LocalDayOf(start_ms)), m);
    } else if (by_ == GroupBy::kHour) {
      Add(HourRow(*s.zone, s.zone->LocalHourStartMs(start_ms)), m);
    } else {
      Add(rows_[{0, PlainKey(s, channel)}], m);
    }
  }

  // Never called for by=hour: hours are read from buckets only.
  void AddDay(const StoreSource& s, int64_t day, Channel channel, const Measures& m) {
    if (by_ == GroupBy::kDay) {
      Add(DayRow(day), m);
    } else {
      Add(rows_[{0, PlainKey(s, channel)}], m);
    }
  }

  // A row of the employee or SKU breakdown.
  void AddKeyed(const std::string& key, const Measures& m) {
    Add(rows_[{0, key.empty() ? std::string(kUnattributed) : key}], m);
  }

  // OK, or OutOfRange for the first sum of the period that would leave the int64 range.
  const Status& status() const { return status_; }

  std::vector<KpiRow> Rows() const {
    std::vector<KpiRow> rows;
    rows.reserve(rows_.size());
    for (const auto& [key, m] : rows_) {
      // Employee rows keep their counts in millionths: a shared sale splits its transaction.
      rows.push_back(by_ == GroupBy::kEmployee ? CreditedKpis(key.second, m)
                                               : MeasureKpis(key.second, m));
    }
    return rows;
  }

 private:
  std::string PlainKey(const StoreSource& s, Channel channel) const {
    switch (by_) {
      case GroupBy::kChannel:
        return std::string(ChannelName(channel));
      case GroupBy::kStore:
        return s.store;
      case GroupBy::kRegion:
        return s.region;
      default:
        return "total";
    }
  }

  // Rows arrive in time order, every channel of a bucket and every bucket of an hour in a row:
  // remembering the last day/hour row spares a key formatting and a map lookup per row (a month
  // by hour is ~14,000 rows).
  Measures& DayRow(int64_t day) {
    if (last_row_ == nullptr || last_zone_ != nullptr || last_index_ != day) {
      last_row_ = &rows_[{0, TimeZone::FormatLocalDate(day)}];
      last_zone_ = nullptr;  // a date key does not depend on the zone
      last_index_ = day;
    }
    return *last_row_;
  }

  Measures& HourRow(const TimeZone& zone, int64_t hour_ms) {
    if (last_row_ == nullptr || last_zone_ != &zone || last_index_ != hour_ms) {
      last_row_ = &rows_[{hour_ms, zone.FormatLocal(hour_ms)}];
      last_zone_ = &zone;
      last_index_ = hour_ms;
    }
    return *last_row_;
  }

  void Add(Measures& row, const Measures& m) {
    if (!status_.ok()) return;
    if (Status added = row.Add(m); !added.ok()) {
      status_ = OutOfRange("the period's " + added.message() +
                           ": the KPIs cannot be summed exactly; ask for a shorter period or a "
                           "narrower scope (by=store sums each store alone)");
    }
  }

  GroupBy by_;
  Status status_;
  std::map<std::pair<int64_t, std::string>, Measures> rows_;  // std::map: rows never move
  Measures* last_row_ = nullptr;
  const TimeZone* last_zone_ = nullptr;
  int64_t last_index_ = 0;
};

// Reads a period at two grains: `buckets(first, last)` for 15-minute buckets, `days(first, last)`
// for whole local days.
using RangeReader = std::function<Status(int64_t first, int64_t last)>;

// Reads the buckets whose start lies in [from_ms, to_ms); nothing when the range is empty.
Status ReadBucketRange(int64_t from_ms, int64_t to_ms, const RangeReader& buckets) {
  const int64_t first = BucketOf(from_ms + kBucketMs - 1);  // ceil: a bucket starting before
  const int64_t last = BucketOf(to_ms + kBucketMs - 1);     // from_ms is not in the range
  if (first >= last) return OkStatus();
  return buckets(first, last);
}

// Reads one store's [from_ms, to_ms): whole local days from the day grain (a month is ~30 rows per
// channel instead of ~3000), the ragged ends from the bucket grain.
Status ReadSplit(const TimeZone& zone, int64_t from_ms, int64_t to_ms, bool buckets_only,
                 const RangeReader& buckets, const RangeReader& days) {
  int64_t first_day = zone.LocalDayOf(from_ms);
  if (zone.LocalDayStartMs(first_day) < from_ms) ++first_day;
  const int64_t end_day = zone.LocalDayOf(to_ms);  // the day holding `to` is at most partial
  if (buckets_only || first_day >= end_day) return ReadBucketRange(from_ms, to_ms, buckets);
  RETURN_IF_ERROR(ReadBucketRange(from_ms, zone.LocalDayStartMs(first_day), buckets));
  RETURN_IF_ERROR(days(first_day, end_day));
  return ReadBucketRange(zone.LocalDayStartMs(end_day), to_ms, buckets);
}

// by=sku and by=category: the SKU rows (kept per local day only: the whole days the period
// touches), keyed by SKU or by the catalogue's category, each costed into `margin` too.
Status ReadSkuRows(const StoreSource& s, int64_t from_ms, int64_t to_ms, GroupBy by,
                   const Catalogue* catalogue, Grouper* grouper, MarginBook* margin) {
  Status costed;
  RETURN_IF_ERROR(
      ReadSkuDays(s, from_ms, to_ms, [&](int64_t day, const std::string& sku, const Measures& m) {
        std::string key = by == GroupBy::kSku    ? sku
                          : catalogue == nullptr ? std::string(kNoCategory)
                                                 : catalogue->CategoryOf(sku);
        grouper->AddKeyed(key, m);
        if (costed.ok()) costed = margin->Add(key, sku, day, m);
      }));
  return costed;
}

// Reads the period into `grouper`: the channel rows, or for by=employee/sku/category that
// breakdown. by=hour reads buckets only.
Status ReadPeriod(const StoreSource& s, int64_t from_ms, int64_t to_ms, GroupBy by,
                  const Catalogue* catalogue, Grouper* grouper, MarginBook* margin) {
  MeasureReader& reader = *s.reader;
  if (KeyedBySku(by)) return ReadSkuRows(s, from_ms, to_ms, by, catalogue, grouper, margin);
  if (by == GroupBy::kEmployee) {
    const Dimension dim = Dimension::kEmployee;
    const MeasureReader::KeyedSink add = [&](int64_t, const std::string& key, const Measures& m) {
      grouper->AddKeyed(key, m);
    };
    return ReadSplit(
        *s.zone, from_ms, to_ms, false,
        [&](int64_t a, int64_t b) { return reader.ReadDimension(dim, Grain::kBucket, a, b, add); },
        [&](int64_t a, int64_t b) { return reader.ReadDimension(dim, Grain::kDay, a, b, add); });
  }
  const MeasureReader::Sink buckets = [&](int64_t index, Channel c, const Measures& m) {
    grouper->AddBucket(s, index, c, m);
  };
  const MeasureReader::Sink days = [&](int64_t index, Channel c, const Measures& m) {
    grouper->AddDay(s, index, c, m);
  };
  return ReadSplit(
      *s.zone, from_ms, to_ms, by == GroupBy::kHour,
      [&](int64_t a, int64_t b) { return reader.ReadBuckets(a, b, buckets); },
      [&](int64_t a, int64_t b) { return reader.ReadDays(a, b, days); });
}

// Reads the store's stock snapshots for the groupings that have a stock meaning: by=total,
// store, region (the end of the period) and day. Other groupings keep null stock KPIs.
Status ReadStock(GroupBy by, const StoreSource& s, int64_t from_ms, int64_t to_ms, int64_t now_ms,
                 StockView* stock) {
  std::string key;
  switch (by) {
    case GroupBy::kTotal:
    case GroupBy::kDay:
      key = "total";
      break;
    case GroupBy::kStore:
      key = s.store;
      break;
    case GroupBy::kRegion:
      key = s.region;
      break;
    default:
      return OkStatus();
  }
  if (s.stock == nullptr) return OkStatus();
  return stock->AddStore(key, *s.stock, *s.zone, from_ms, to_ms, now_ms, by == GroupBy::kDay);
}

Status WithStore(const StoreSource& s, const Status& status) {
  if (status.ok()) return status;
  return Status(status.code(), "store " + s.store + ": " + status.message());
}

// A region's or the network's own day rows (central) standing for their stores' day rows over
// the whole local days [first_day, end_day) every one of those stores asks for.
struct MeasureCover {
  std::string scope;
  int64_t first_day = 0, end_day = 0;
  const StoreSource* any_store = nullptr;  // keys the rows: its region, for by=region
};

// The covers of a query (common/kpi/scope_covers.h), and into `covered` the stores they hold:
// those are then read only for their pending rows and their stock. None unless the grouping adds
// stores' days together (total, day, region), every store's reader is one whose views the scope
// rows hold, and the scopes' members are exactly the stores asked for.
StatusOr<std::vector<MeasureCover>> PlanMeasureCovers(const PeriodSpec& period, GroupBy by,
                                                      const std::string& scope,
                                                      const std::vector<StoreSource>& stores,
                                                      int64_t now_ms,
                                                      std::set<std::string>* covered) {
  std::vector<MeasureCover> out;
  if (by != GroupBy::kTotal && by != GroupBy::kDay && by != GroupBy::kRegion) return out;
  if (stores.size() < 2 || stores.front().scope_firsts == nullptr) return out;
  ASSIGN_OR_RETURN(const bool ready, stores.front().scope_firsts->MeasureDaysReady());
  if (!ready) return out;
  std::vector<StorePeriod> periods;
  periods.reserve(stores.size());
  for (const StoreSource& s : stores) {
    if (s.zone == nullptr || s.reader == nullptr || !s.reader->InScopeViews()) return out;
    const int64_t from_ms = ResolveMs(period.from, *s.zone, now_ms);
    const int64_t to_ms = ResolveMs(period.to, *s.zone, now_ms);
    if (to_ms <= from_ms) return out;  // QueryStore says why
    periods.push_back(StorePeriod::Split(s, from_ms, to_ms));
  }
  ASSIGN_OR_RETURN(const std::vector<ScopeCover> covers,
                   PlanScopeCovers(by, scope, periods, stores.front().scope_firsts));
  for (const ScopeCover& cover : covers) {
    if (!cover.Exact()) continue;  // a store's period starts or ends inside a day
    out.push_back({cover.scope, cover.first_day, cover.end_day, cover.stores.front()->source});
    for (const StorePeriod* p : cover.stores) covered->insert(p->source->store);
  }
  return out;
}

// Whether the cost and margin KPIs of a total, day, store or region row can be computed: every
// store's period is whole local days, as the SKU rows are kept (docs/KPIS.md).
bool WholeLocalDays(const PeriodSpec& period, const std::vector<StoreSource>& stores,
                    int64_t now_ms) {
  for (const StoreSource& s : stores) {
    if (s.zone == nullptr) return false;
    for (const Endpoint& e : {period.from, period.to}) {
      const int64_t ms = ResolveMs(e, *s.zone, now_ms);
      if (s.zone->LocalDayStartMs(s.zone->LocalDayOf(ms)) != ms) return false;
    }
  }
  return true;
}

// How a query costs its rows.
struct MarginPlan {
  const Catalogue* catalogue = nullptr;
  bool cost_store_days = false;  // total, day, store, region over whole days, with a catalogue
  MarginBook* book = nullptr;
};

// Resolves the period in the store's zone and adds its rows to `grouper`: all of them, or with
// `covered` (its whole days are in a MeasureCover's rows) only those not folded yet.
Status QueryStore(const PeriodSpec& period, GroupBy by, const StoreSource& s, int64_t now_ms,
                  bool covered, const MarginPlan& margin, Grouper* grouper, StockView* stock) {
  if (s.zone == nullptr || s.reader == nullptr) {
    return FailedPrecondition("store " + s.store + " has no time zone or measure reader");
  }
  const int64_t from_ms = ResolveMs(period.from, *s.zone, now_ms);
  const int64_t to_ms = ResolveMs(period.to, *s.zone, now_ms);
  if (to_ms <= from_ms) {
    return InvalidArgument("empty period for store " + s.store + ": to (" +
                           Label(period.to, *s.zone, now_ms) + ") must be after from (" +
                           Label(period.from, *s.zone, now_ms) +
                           "); instants are floored to 15 minutes");
  }
  if (by == GroupBy::kStore) grouper->Seed(s.store);
  if (by == GroupBy::kRegion) grouper->Seed(s.region);
  if (covered) {
    RETURN_IF_ERROR(WithStore(
        s, s.reader->ReadPendingDays(
               s.zone->LocalDayOf(from_ms), s.zone->LocalDayOf(to_ms),
               [&](int64_t day, Channel c, const Measures& m) { grouper->AddDay(s, day, c, m); })));
  } else {
    RETURN_IF_ERROR(
        WithStore(s, ReadPeriod(s, from_ms, to_ms, by, margin.catalogue, grouper, margin.book)));
  }
  if (margin.cost_store_days) {
    const Status costed = CostStoreDays(s, from_ms, to_ms, by, margin.book);
    if (costed.code() == StatusCode::kFailedPrecondition) {  // a reader without SKU rows
      margin.book->MarkIncomplete();
    } else {
      RETURN_IF_ERROR(WithStore(s, costed));
    }
  }
  return WithStore(s, ReadStock(by, s, from_ms, to_ms, now_ms, stock));
}

// The ten rows of a by=sku answer with the highest `figure` (an integer KPI: units sold, net
// sales), highest first; ties keep the rows' order.
std::vector<TopSku> TopTen(const std::vector<KpiRow>& rows, Kpi figure) {
  std::vector<const KpiRow*> order;
  for (const KpiRow& row : rows) order.push_back(&row);
  std::stable_sort(order.begin(), order.end(), [&](const KpiRow* a, const KpiRow* b) {
    return (*a)[figure].integer() > (*b)[figure].integer();
  });
  std::vector<TopSku> top;
  for (size_t i = 0; i < order.size() && i < 10; ++i) {
    top.push_back({order[i]->key, (*order[i])[figure].integer()});
  }
  return top;
}

// sales_per_m2 of each row: net sales over the sales area of the stores the row covers (a store's
// own for by=store, its region's for by=region, every store's otherwise). Null when any of them
// has no known area, so a partial area never inflates the figure.
void AddSalesPerM2(GroupBy by, const std::vector<StoreSource>& stores, std::vector<KpiRow>* rows) {
  for (KpiRow& row : *rows) {
    double area = 0;
    bool known = true;
    for (const StoreSource& s : stores) {
      if ((by == GroupBy::kStore && s.store != row.key) ||
          (by == GroupBy::kRegion && s.region != row.key)) {
        continue;
      }
      known = known && s.area_m2 > 0;
      area += s.area_m2;
    }
    row[Kpi::kSalesPerM2] =
        known && area > 0 ? KpiValue::Real(row[Kpi::kNetSales].integer() / area) : KpiValue();
  }
}

// Each day row's completeness (common/kpi/source_completeness.h), for one store's answer: by=day,
// or by=total over exactly one local day. A reader that keeps no breakdowns (a clipped target
// reader) gives none.
Status AddCompleteness(const PeriodSpec& period, const std::vector<StoreSource>& stores,
                       int64_t now_ms, KpiAnswer* answer) {
  const GroupBy by = answer->by;
  std::vector<KpiRow>* rows = &answer->rows;
  if (stores.size() != 1 || rows->empty() || (by != GroupBy::kDay && by != GroupBy::kTotal)) {
    return OkStatus();
  }
  const StoreSource& s = stores.front();
  std::map<const KpiRow*, int64_t> day_of;
  if (by == GroupBy::kTotal) {
    const int64_t from_ms = ResolveMs(period.from, *s.zone, now_ms);
    const int64_t day = s.zone->LocalDayOf(from_ms);
    if (from_ms != s.zone->LocalDayStartMs(day) ||
        ResolveMs(period.to, *s.zone, now_ms) != s.zone->LocalDayStartMs(day + 1)) {
      return OkStatus();
    }
    day_of[&rows->front()] = day;
  } else {
    for (const KpiRow& row : *rows) {
      if (StatusOr<int64_t> day = TimeZone::ParseLocalDate(row.key); day.ok()) day_of[&row] = *day;
    }
  }
  if (day_of.empty()) return OkStatus();
  int64_t first = day_of.begin()->second, end = first + 1;
  for (const auto& [row, day] : day_of) {
    first = std::min(first, day);
    end = std::max(end, day + 1);
  }
  StatusOr<std::map<int64_t, DayCompleteness>> judged =
      ReadDayCompleteness(*s.reader, first, end);
  if (judged.status().code() == StatusCode::kFailedPrecondition) return OkStatus();
  RETURN_IF_ERROR(WithStore(s, judged.status()));
  for (const auto& [row, day] : day_of) answer->completeness[row->key] = judged->at(day);
  return OkStatus();
}

}  // namespace

StatusOr<GroupBy> ParseGroupBy(std::string_view text) {
  for (size_t i = 0; i < kGroupByNames.size(); ++i) {
    if (kGroupByNames[i] == text) return static_cast<GroupBy>(i);
  }
  return InvalidArgument(
      "by: unknown grouping " + QuoteForMessage(text) +
      " (one of total, day, hour, channel, store, region, employee, sku, category)");
}

std::string_view GroupByName(GroupBy by) { return kGroupByNames[static_cast<size_t>(by)]; }

StatusOr<std::pair<int64_t, int64_t>> ResolvePeriod(const KpiRequest& request,
                                                    const TimeZone& zone, int64_t now_ms) {
  ASSIGN_OR_RETURN(const PeriodSpec period, ParsePeriod(request));
  return std::make_pair(ResolveMs(period.from, zone, now_ms), ResolveMs(period.to, zone, now_ms));
}

StatusOr<KpiAnswer> RunKpiQuery(const KpiRequest& request, const std::vector<StoreSource>& stores,
                                int64_t now_ms) {
  ASSIGN_OR_RETURN(const PeriodSpec period, ParsePeriod(request));
  Grouper grouper(request.by);
  StockView stock;
  MarginBook book(request.catalogue.get());
  const bool day_rows = request.by == GroupBy::kTotal || request.by == GroupBy::kDay ||
                        request.by == GroupBy::kStore || request.by == GroupBy::kRegion;
  const bool whole_days = day_rows && request.margins && WholeLocalDays(period, stores, now_ms);
  const MarginPlan margin{request.catalogue.get(), whole_days && request.catalogue != nullptr,
                          &book};
  std::set<std::string> covered;
  ASSIGN_OR_RETURN(const std::vector<MeasureCover> covers,
                   PlanMeasureCovers(period, request.by, request.scope, stores, now_ms, &covered));
  for (const StoreSource& s : stores) {
    RETURN_IF_ERROR(QueryStore(period, request.by, s, now_ms, covered.contains(s.store), margin,
                               &grouper, &stock));
    RETURN_IF_ERROR(grouper.status());
  }
  for (const MeasureCover& cover : covers) {
    RETURN_IF_ERROR(cover.any_store->scope_firsts->ReadMeasureDays(
        cover.scope, cover.first_day, cover.end_day,
        [&](int64_t day, Channel c, const Measures& m) {
          grouper.AddDay(*cover.any_store, day, c, m);
        }));
    RETURN_IF_ERROR(grouper.status());
  }
  if (request.by == GroupBy::kTotal) grouper.Seed("total");
  for (int64_t day : stock.moved_days()) grouper.Seed(TimeZone::FormatLocalDate(day));
  KpiAnswer answer;
  answer.from = EndpointLabel(period.from, stores, now_ms);
  answer.to = EndpointLabel(period.to, stores, now_ms);
  answer.scope = request.scope;
  answer.by = request.by;
  answer.rows = grouper.Rows();
  AddSalesPerM2(request.by, stores, &answer.rows);
  RETURN_IF_ERROR(AddCompleteness(period, stores, now_ms, &answer));
  RETURN_IF_ERROR(AddCustomerFigures(request, stores, now_ms, &answer.rows));
  stock.AddColumns(request.by == GroupBy::kDay, &answer.rows);
  FillMarginKpis(request.by, request.catalogue != nullptr, whole_days, book, &answer.rows);
  answer.catalogue = request.catalogue;
  if (request.catalogue) {
    answer.catalogue_age_s =
        std::max<int64_t>(0, (now_ms - request.catalogue->received_ms()) / 1000);
  }
  if (request.by == GroupBy::kSku) {
    answer.top_skus = TopSkus{TopTen(answer.rows, Kpi::kUnitsSold),
                              TopTen(answer.rows, Kpi::kNetSales)};
  }
  return answer;
}

}  // namespace storepulse::common
