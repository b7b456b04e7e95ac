#include "common/kpi/customer_figures.h"

#include <algorithm>
#include <functional>
#include <map>
#include <unordered_map>

#include "common/kpi/customer_rows.h"
#include "common/kpi/scope_covers.h"

namespace storepulse::common {

namespace {

// The figures a sketch makes approximate: customers, and every figure divided by it.
constexpr Kpi kApproximate[] = {Kpi::kCustomers, Kpi::kRecruitmentRate, Kpi::kPurchaseFrequency,
                                 Kpi::kClv};

// The scope at which a row judges "new": its own store or region, else the query's.
std::string FirstsScope(GroupBy by, const KpiRequest& request, const StoreSource& s) {
  if (by == GroupBy::kStore) return StoreScope(s.store);
  if (by == GroupBy::kRegion) return RegionScope(s.region);
  return request.scope;
}

// The ids of store `s` in the buckets starting in [from_ms, to_ms), each into its row. Rows
// arrive bucket by bucket: the row is looked up once per bucket, not once per customer.
Status ReadIds(const StoreSource& s, int64_t from_ms, int64_t to_ms, CustomerRows* rows) {
  const int64_t first = BucketOf(from_ms + kBucketMs - 1);  // buckets starting in the period
  const int64_t last = BucketOf(to_ms + kBucketMs - 1);
  if (first >= last) return OkStatus();
  int64_t row_bucket = 0;
  CustomerRow* row = nullptr;
  return s.customers->ReadSeen(first, last, [&](int64_t bucket, const std::string& customer) {
    if (row == nullptr || bucket != row_bucket) {
      row = &rows->AtInstant(s, bucket * kBucketMs);
      row_bucket = bucket;
    }
    row->AddId(customer);
  });
}

// Calls `read(first, end)` for each run of consecutive days of `days` (ascending).
Status ForRuns(const std::vector<int64_t>& days,
               const std::function<Status(int64_t first, int64_t end)>& read) {
  for (size_t i = 0; i < days.size();) {
    size_t j = i + 1;
    while (j < days.size() && days[j] == days[j - 1] + 1) ++j;
    RETURN_IF_ERROR(read(days[i], days[j - 1] + 1));
    i = j;
  }
  return OkStatus();
}

// One store's distinct customers: a one-store one-day row from the day's count (edge) or its ids;
// any other row from the store's day sketches — except on the days `cover` answers for — and the
// ids of partial days.
Status ReadStoreCustomers(const StorePeriod& p, const ScopeCover* cover, CustomerRows* rows) {
  const StoreSource& s = *p.source;
  const TimeZone& zone = *s.zone;
  std::vector<int64_t> counted, ids, sketched;
  for (int64_t day = p.first_day; day < p.end_day; ++day) {
    const CustomerRow& row = rows->At(s, day);
    if (!row.exact()) {
      if (cover == nullptr || day < cover->first_day || day >= cover->end_day) {
        sketched.push_back(day);
      }
    } else {
      (row.OneStoreDay() ? counted : ids).push_back(day);
    }
  }
  if (!counted.empty()) {
    std::map<int64_t, int64_t> counts;
    RETURN_IF_ERROR(s.customers->ReadDayCounts(
        counted.front(), counted.back() + 1, [&](int64_t day, int64_t n) { counts[day] = n; }));
    for (int64_t day : counted) {
      auto it = counts.find(day);
      if (it == counts.end()) {
        ids.push_back(day);  // not counted (central, or before the counts): from the ids
      } else {
        rows->At(s, day).counted += it->second;
      }
    }
    std::sort(ids.begin(), ids.end());
  }
  RETURN_IF_ERROR(ForRuns(ids, [&](int64_t first, int64_t end) {
    return ReadIds(s, zone.LocalDayStartMs(first), zone.LocalDayStartMs(end), rows);
  }));
  RETURN_IF_ERROR(ForRuns(sketched, [&](int64_t first, int64_t end) {
    return s.customers->ReadDaySketches(first, end, [&](int64_t day, const HyperLogLog& sketch) {
      rows->At(s, day).sketch.Merge(sketch);
    });
  }));
  for (const StorePeriod::Piece& piece : p.pieces) {
    RETURN_IF_ERROR(ReadIds(s, piece.from_ms, piece.to_ms, rows));
  }
  return OkStatus();
}

// The days a scope's own sketches answer for.
Status ReadCoverCustomers(ScopeFirstsReader& reader, const ScopeCover& cover,
                          CustomerRows* rows) {
  const StoreSource& any = *cover.stores.front()->source;  // every store of it keys the same rows
  return reader.ReadDaySketches(
      cover.scope, cover.first_day, cover.end_day,
      [&](int64_t day, const HyperLogLog& sketch) { rows->At(any, day).sketch.Merge(sketch); });
}

// New customers judged at a store: its counts per whole day (with the views), the first
// purchases themselves for the rest.
Status CountStoreFirsts(const StorePeriod& p, bool views, CustomerRows* rows) {
  const StoreSource& s = *p.source;
  auto count = [&](int64_t ts, const std::string&) { rows->AtInstant(s, ts).fresh++; };
  if (!views) return s.customers->ReadFirsts(p.from_ms, p.to_ms, count);
  if (p.first_day < p.end_day) {
    RETURN_IF_ERROR(s.customers->ReadNewDayCounts(
        p.first_day, p.end_day, [&](int64_t day, int64_t n) { rows->At(s, day).fresh += n; }));
  }
  for (const StorePeriod::Piece& piece : p.pieces) {
    RETURN_IF_ERROR(s.customers->ReadFirsts(piece.from_ms, piece.to_ms, count));
  }
  return OkStatus();
}

// New customers judged at a region or network scope: each first purchase counts where, and when,
// it happened, if that is inside the period of the store it happened in.
Status CountScopeFirsts(const std::string& scope, ScopeFirstsReader& reader,
                        const std::map<std::string, const StorePeriod*>& stores,
                        CustomerRows* rows) {
  int64_t from = INT64_MAX, to = INT64_MIN;
  for (const auto& [store, p] : stores) {
    from = std::min(from, p->from_ms);
    to = std::max(to, p->to_ms);
  }
  return reader.ReadFirsts(scope, from, to, [&](int64_t ts, const std::string& store,
                                               const std::string&) {
    auto it = stores.find(store);
    if (it == stores.end()) return;  // a store outside the scope asked
    const StorePeriod& p = *it->second;
    if (ts < p.from_ms || ts >= p.to_ms) return;
    rows->AtInstant(*p.source, ts).fresh++;
  });
}

Status CountNewCustomers(const KpiRequest& request, const std::vector<StorePeriod>& periods,
                         const std::vector<ScopeCover>& covers, ScopeFirstsReader* reader,
                         bool views, CustomerRows* rows) {
  std::map<std::string, std::map<std::string, const StorePeriod*>> by_scope;
  for (const StorePeriod& p : periods) {
    std::string scope = FirstsScope(request.by, request, *p.source);
    if (reader == nullptr || scope.rfind("store:", 0) == 0) {  // judged at the store
      RETURN_IF_ERROR(CountStoreFirsts(p, views && request.by != GroupBy::kHour, rows));
    } else {
      by_scope[scope][p.source->store] = &p;
    }
  }
  for (const auto& [scope, members] : by_scope) {
    const ScopeCover* cover = nullptr;
    for (const ScopeCover& c : covers) {
      if (c.scope == scope && c.stores.size() == members.size() && c.Exact()) cover = &c;
    }
    if (cover == nullptr) {
      RETURN_IF_ERROR(CountScopeFirsts(scope, *reader, members, rows));
      continue;
    }
    const StoreSource& any = *cover->stores.front()->source;
    RETURN_IF_ERROR(reader->ReadNewDayCounts(
        scope, cover->first_day, cover->end_day,
        [&](int64_t day, int64_t n) { rows->At(any, day).fresh += n; }));
  }
  return OkStatus();
}

void WriteFigures(const CustomerRows& counts, std::vector<KpiRow>* rows) {
  for (KpiRow& row : *rows) {
    const CustomerRow* counted = counts.Find(row.key);
    const int64_t customers = counted == nullptr ? 0 : counted->Customers();
    const int64_t fresh = counted == nullptr ? 0 : counted->fresh;
    auto per_customer = [&](int64_t n) {
      return customers == 0 ? KpiValue() : KpiValue::Real(static_cast<double>(n) / customers);
    };
    row[Kpi::kCustomers] = KpiValue::Integer(customers);
    row[Kpi::kNewCustomers] = KpiValue::Integer(fresh);
    row[Kpi::kRecruitmentRate] = per_customer(fresh);
    row[Kpi::kPurchaseFrequency] = per_customer(row[Kpi::kIdentifiedTransactions].integer());
    row[Kpi::kClv] = per_customer(row[Kpi::kIdentifiedNetSales].integer());
    if (counted != nullptr && !counted->exact()) {
      for (Kpi kpi : kApproximate) row.approximate.set(static_cast<size_t>(kpi));
    }
  }
}

void WriteNulls(std::vector<KpiRow>* rows) {
  for (KpiRow& row : *rows) {
    for (Kpi kpi : {Kpi::kCustomers, Kpi::kNewCustomers, Kpi::kRecruitmentRate,
                    Kpi::kPurchaseFrequency, Kpi::kClv}) {
      row[kpi] = KpiValue();
    }
  }
}

}  // namespace

Status AddCustomerFigures(const KpiRequest& request, const std::vector<StoreSource>& stores,
                          int64_t now_ms, std::vector<KpiRow>* rows) {
  const GroupBy by = request.by;
  bool per_channel = by == GroupBy::kChannel || by == GroupBy::kEmployee || by == GroupBy::kSku;
  bool readable = !stores.empty();
  ScopeFirstsReader* scope_reader = nullptr;
  for (const StoreSource& s : stores) {
    readable = readable && s.customers != nullptr;
    if (s.scope_firsts != nullptr) scope_reader = s.scope_firsts;
  }
  if (per_channel || !readable) {
    WriteNulls(rows);
    return OkStatus();
  }
  ASSIGN_OR_RETURN(const bool views, stores.front().customers->ViewsReady());
  std::vector<StorePeriod> periods;
  for (const StoreSource& s : stores) {
    ASSIGN_OR_RETURN(auto period, ResolvePeriod(request, *s.zone, now_ms));
    periods.push_back(StorePeriod::Split(s, period.first, period.second));
  }
  // by=hour: every row is at most an hour of each store, counted from the ids.
  CustomerRows counts(by, views && by != GroupBy::kHour);
  std::vector<ScopeCover> covers;
  if (by != GroupBy::kHour) {
    for (const StorePeriod& p : periods) counts.Plan(p);
    if (views) {
      ASSIGN_OR_RETURN(covers, PlanScopeCovers(by, request.scope, periods, scope_reader));
    }
  }
  std::unordered_map<const StorePeriod*, const ScopeCover*> cover_of;
  for (const ScopeCover& cover : covers) {
    RETURN_IF_ERROR(ReadCoverCustomers(*scope_reader, cover, &counts));
    for (const StorePeriod* p : cover.stores) cover_of[p] = &cover;
  }
  for (const StorePeriod& p : periods) {
    const StoreSource& s = *p.source;
    if (by == GroupBy::kHour) {
      RETURN_IF_ERROR(ReadIds(s, p.from_ms, p.to_ms, &counts));
      continue;
    }
    auto cover = cover_of.find(&p);
    RETURN_IF_ERROR(ReadStoreCustomers(p, cover == cover_of.end() ? nullptr : cover->second,
                                       &counts));
  }
  RETURN_IF_ERROR(CountNewCustomers(request, periods, covers, scope_reader, views, &counts));
  WriteFigures(counts, rows);
  return OkStatus();
}

}  // namespace storepulse::common
