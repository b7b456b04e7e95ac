#include "common/kpi/customer_figures.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "common/kpi/customer_loyalty.h"
#include "common/kpi/customer_rows.h"
#include "common/kpi/query_persons.h"
#include "common/kpi/scope_covers.h"

namespace storepulse::common {

namespace {

// The figures a sketch makes approximate: customers, and every figure divided by it.
constexpr Kpi kApproximate[] = {Kpi::kCustomers, Kpi::kRecruitmentRate, Kpi::kPurchaseFrequency,
                                 Kpi::kClv};

// The ids of store `s` in the buckets starting in [from_ms, to_ms), each into its row as its
// person. Rows arrive bucket by bucket: the row is looked up once per bucket, not per customer.
Status ReadIds(const StoreSource& s, const Persons& persons, int64_t from_ms, int64_t to_ms,
               CustomerRows* rows) {
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
    row->AddId(persons.Resolve(customer));
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

// One store's distinct customers: a one-store one-day row from the day's count (edge; not when
// links join ids, which the count does not know) or its ids; any other row from the store's day
// sketches — except on the days `cover` answers for — and the ids of partial days.
Status ReadStoreCustomers(const StorePeriod& p, const Persons& persons, const ScopeCover* cover,
                          CustomerRows* rows) {
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
      (row.OneStoreDay() && persons.empty() ? counted : ids).push_back(day);
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
    return ReadIds(s, persons, zone.LocalDayStartMs(first), zone.LocalDayStartMs(end), rows);
  }));
  RETURN_IF_ERROR(ForRuns(sketched, [&](int64_t first, int64_t end) {
    return s.customers->ReadDaySketches(first, end, [&](int64_t day, const HyperLogLog& sketch) {
      rows->At(s, day).sketch.Merge(sketch);
    });
  }));
  for (const StorePeriod::Piece& piece : p.pieces) {
    RETURN_IF_ERROR(ReadIds(s, persons, piece.from_ms, piece.to_ms, rows));
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

// A linked person's first purchase at a store: the earliest of its ids'.
StatusOr<std::optional<int64_t>> PersonFirstAtStore(const StoreSource& s, const Persons& persons,
                                                    const std::string& id) {
  std::optional<int64_t> first;
  for (const std::string& member : persons.Members(id)) {
    ASSIGN_OR_RETURN(std::optional<int64_t> ts, s.customers->ReadFirstOf(member));
    if (ts && (!first || *ts < *first)) first = ts;
  }
  return first;
}

// New customers judged at a store, as persons: an unlinked id counts at its first purchase; a
// linked person once, at the earliest first purchase of its ids, if that is in the period.
Status CountStorePersonFirsts(const StorePeriod& p, const Persons& persons, CustomerRows* rows) {
  const StoreSource& s = *p.source;
  std::set<std::string> linked;
  RETURN_IF_ERROR(
      s.customers->ReadFirsts(p.from_ms, p.to_ms, [&](int64_t ts, const std::string& customer) {
        if (persons.Linked(customer)) {
          linked.insert(persons.Resolve(customer));
        } else {
          rows->AtInstant(s, ts).fresh++;
        }
      }));
  for (const std::string& person : linked) {
    ASSIGN_OR_RETURN(std::optional<int64_t> first, PersonFirstAtStore(s, persons, person));
    if (first && *first >= p.from_ms && *first < p.to_ms) rows->AtInstant(s, *first).fresh++;
  }
  return OkStatus();
}

// New customers judged at a store: its counts per whole day (with the views), the first
// purchases themselves for the rest.
Status CountStoreFirsts(const StorePeriod& p, const Persons& persons, bool views,
                        CustomerRows* rows) {
  const StoreSource& s = *p.source;
  auto count = [&](int64_t ts, const std::string&) { rows->AtInstant(s, ts).fresh++; };
  if (!views) return CountStorePersonFirsts(p, persons, rows);
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
// A linked person's first purchase counts at the earliest of its ids' (between two stores at
// the same instant, the first store by id, as for one id).
Status CountScopeFirsts(const std::string& scope, ScopeFirstsReader& reader,
                        const std::map<std::string, const StorePeriod*>& stores,
                        const Persons& persons, CustomerRows* rows) {
  int64_t from = INT64_MAX, to = INT64_MIN;
  for (const auto& [store, p] : stores) {
    from = std::min(from, p->from_ms);
    to = std::max(to, p->to_ms);
  }
  auto count = [&](int64_t ts, const std::string& store) {
    auto it = stores.find(store);
    if (it == stores.end()) return;  // a store outside the scope asked
    const StorePeriod& p = *it->second;
    if (ts < p.from_ms || ts >= p.to_ms) return;
    rows->AtInstant(*p.source, ts).fresh++;
  };
  std::set<std::string> linked;
  RETURN_IF_ERROR(reader.ReadFirsts(
      scope, from, to, [&](int64_t ts, const std::string& store, const std::string& customer) {
        if (persons.Linked(customer)) {
          linked.insert(persons.Resolve(customer));
        } else {
          count(ts, store);
        }
      }));
  for (const std::string& person : linked) {
    std::optional<ScopeFirstsReader::ScopeFirst> first;
    for (const std::string& member : persons.Members(person)) {
      ASSIGN_OR_RETURN(auto held, reader.ReadFirstOf(scope, member));
      if (held && (!first || held->first_ms < first->first_ms ||
                   (held->first_ms == first->first_ms && held->store < first->store))) {
        first = held;
      }
    }
    if (first) count(first->first_ms, first->store);
  }
  return OkStatus();
}

Status CountNewCustomers(const KpiRequest& request, const std::vector<StorePeriod>& periods,
                         const std::vector<ScopeCover>& covers, ScopeFirstsReader* reader,
                         const QueryPersons& persons, bool views, CustomerRows* rows) {
  std::map<std::string, std::map<std::string, const StorePeriod*>> by_scope;
  const Persons* network = nullptr;
  for (const StorePeriod& p : periods) {
    std::string scope = FirstsScope(request.by, request, *p.source);
    if (reader == nullptr || scope.rfind("store:", 0) == 0) {  // judged at the store
      RETURN_IF_ERROR(
          CountStoreFirsts(p, persons.For(*p.source), views && request.by != GroupBy::kHour, rows));
    } else {
      by_scope[scope][p.source->store] = &p;
      network = &persons.For(*p.source);
    }
  }
  for (const auto& [scope, members] : by_scope) {
    const ScopeCover* cover = nullptr;
    for (const ScopeCover& c : covers) {
      if (c.scope == scope && c.stores.size() == members.size() && c.Exact()) cover = &c;
    }
    if (cover == nullptr) {
      RETURN_IF_ERROR(CountScopeFirsts(scope, *reader, members, *network, rows));
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
    for (Kpi kpi :
         {Kpi::kCustomers, Kpi::kNewCustomers, Kpi::kRecruitmentRate, Kpi::kPurchaseFrequency,
          Kpi::kClv, Kpi::kOmnichannelCustomers, Kpi::kOmnichannelShare, Kpi::kRetentionRate}) {
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
  ASSIGN_OR_RETURN(bool views, stores.front().customers->ViewsReady());
  // Linked ids are counted as persons from the exact sets: the day sketches and counts hold ids.
  ASSIGN_OR_RETURN(const QueryPersons persons, QueryPersons::Read(request, stores));
  views = views && !persons.any();
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
    const Persons& linked = persons.For(s);
    if (by == GroupBy::kHour) {
      RETURN_IF_ERROR(ReadIds(s, linked, p.from_ms, p.to_ms, &counts));
      continue;
    }
    auto cover = cover_of.find(&p);
    RETURN_IF_ERROR(
        ReadStoreCustomers(p, linked, cover == cover_of.end() ? nullptr : cover->second, &counts));
  }
  RETURN_IF_ERROR(
      CountNewCustomers(request, periods, covers, scope_reader, persons, views, &counts));
  WriteFigures(counts, rows);
  return AddLoyaltyFigures(request, periods, persons, rows);
}

}  // namespace storepulse::common
