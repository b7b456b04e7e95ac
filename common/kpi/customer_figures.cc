#include "common/kpi/customer_figures.h"

#include <map>
#include <unordered_set>

namespace storepulse::common {

namespace {

// Counts of stored rows (customer ids, first purchases): they cannot outgrow a database, so they
// are summed unchecked.
struct RowCustomers {
  std::unordered_set<std::string> seen;
  int64_t counted = 0;  // distinct customers of a whole day, read from its count
  int64_t fresh = 0;    // new at the row's scope
};

// The key of the row an instant of store `s` counts in, as the KPI engine keys its rows.
std::string RowKey(GroupBy by, const StoreSource& s, int64_t utc_ms) {
  switch (by) {
    case GroupBy::kDay:
      return TimeZone::FormatLocalDate(s.zone->LocalDayOf(utc_ms));
    case GroupBy::kHour:
      return s.zone->FormatLocal(s.zone->LocalHourStartMs(utc_ms));
    case GroupBy::kStore:
      return s.store;
    case GroupBy::kRegion:
      return s.region;
    default:
      return "total";
  }
}

// The scope at which a row judges "new": its own store or region, else the query's.
std::string FirstsScope(GroupBy by, const KpiRequest& request, const StoreSource& s) {
  if (by == GroupBy::kStore) return "store:" + s.store;
  if (by == GroupBy::kRegion) return "region:" + s.region;
  return request.scope;
}

Status CountSeen(GroupBy by, const StoreSource& s, int64_t from_ms, int64_t to_ms,
                 std::map<std::string, RowCustomers>* rows) {
  const int64_t first = BucketOf(from_ms + kBucketMs - 1);  // buckets starting in the period
  const int64_t last = BucketOf(to_ms + kBucketMs - 1);
  if (first >= last) return OkStatus();
  // Rows arrive bucket by bucket: the row is looked up once per bucket, not once per customer
  // (a busy day is tens of thousands of rows).
  int64_t row_bucket = 0;
  std::unordered_set<std::string>* seen = nullptr;
  return s.customers->ReadSeen(first, last, [&](int64_t bucket, const std::string& customer) {
    if (seen == nullptr || bucket != row_bucket) {
      seen = &(*rows)[RowKey(by, s, bucket * kBucketMs)].seen;
      row_bucket = bucket;
    }
    seen->insert(customer);
  });
}

struct Period {
  int64_t from_ms, to_ms;
};

// For rows that hold one store only: its whole local days that have a count are read as one
// number each (a one-day query reads a single row, whatever the day's size), the rest of the
// period from the sets. A day's count can stand for a row only when the row is that day alone:
// by=day, or a total (store, region) over exactly one whole day.
Status CountOneStore(GroupBy by, const StoreSource& s, int64_t from_ms, int64_t to_ms,
                     std::map<std::string, RowCustomers>* rows) {
  const TimeZone& zone = *s.zone;
  int64_t first_day = zone.LocalDayOf(from_ms);
  if (zone.LocalDayStartMs(first_day) < from_ms) ++first_day;  // the first whole day
  const int64_t end_day = zone.LocalDayOf(to_ms);               // the day holding `to` is partial
  const bool one_day_total = (by == GroupBy::kTotal || by == GroupBy::kStore ||
                              by == GroupBy::kRegion) &&
                             first_day + 1 == end_day &&
                             zone.LocalDayStartMs(first_day) == from_ms &&
                             zone.LocalDayStartMs(end_day) == to_ms;
  if ((by != GroupBy::kDay && !one_day_total) || first_day >= end_day) {
    return CountSeen(by, s, from_ms, to_ms, rows);
  }
  std::vector<std::pair<int64_t, int64_t>> counted;  // (day, customers), ascending
  RETURN_IF_ERROR(s.customers->ReadDayCounts(
      first_day, end_day, [&](int64_t day, int64_t n) { counted.emplace_back(day, n); }));
  int64_t gap_from = from_ms;  // the sets cover what lies between counted days
  for (const auto& [day, n] : counted) {
    (*rows)[RowKey(by, s, zone.LocalDayStartMs(day))].counted += n;
    RETURN_IF_ERROR(CountSeen(by, s, gap_from, zone.LocalDayStartMs(day), rows));
    gap_from = zone.LocalDayStartMs(day + 1);
  }
  return CountSeen(by, s, gap_from, to_ms, rows);
}

// New customers judged at a region or network scope: each first purchase counts where, and when,
// it happened, if that is inside the period of the store it happened in.
Status CountScopeFirsts(GroupBy by, const std::string& scope, ScopeFirstsReader& reader,
                        const std::map<std::string, std::pair<const StoreSource*, Period>>& stores,
                        std::map<std::string, RowCustomers>* rows) {
  int64_t from = INT64_MAX, to = INT64_MIN;
  for (const auto& [store, entry] : stores) {
    from = std::min(from, entry.second.from_ms);
    to = std::max(to, entry.second.to_ms);
  }
  return reader.ReadFirsts(scope, from, to, [&](int64_t ts, const std::string& store,
                                               const std::string&) {
    auto it = stores.find(store);
    if (it == stores.end()) return;  // a store outside the scope asked
    const auto& [source, period] = it->second;
    if (ts < period.from_ms || ts >= period.to_ms) return;
    (*rows)[RowKey(by, *source, ts)].fresh++;
  });
}

void WriteFigures(const std::map<std::string, RowCustomers>& counts, std::vector<KpiRow>* rows) {
  for (KpiRow& row : *rows) {
    auto it = counts.find(row.key);
    const int64_t customers =
        it == counts.end() ? 0
                           : static_cast<int64_t>(it->second.seen.size()) + it->second.counted;
    const int64_t fresh = it == counts.end() ? 0 : it->second.fresh;
    auto per_customer = [&](int64_t n) {
      return customers == 0 ? KpiValue() : KpiValue::Real(static_cast<double>(n) / customers);
    };
    row[Kpi::kCustomers] = KpiValue::Integer(customers);
    row[Kpi::kNewCustomers] = KpiValue::Integer(fresh);
    row[Kpi::kRecruitmentRate] = per_customer(fresh);
    row[Kpi::kPurchaseFrequency] = per_customer(row[Kpi::kIdentifiedTransactions].integer());
    row[Kpi::kClv] = per_customer(row[Kpi::kIdentifiedNetSales].integer());
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
  ScopeFirstsReader* scope_firsts = nullptr;
  for (const StoreSource& s : stores) {
    readable = readable && s.customers != nullptr;
    if (s.scope_firsts != nullptr) scope_firsts = s.scope_firsts;
  }
  if (per_channel || !readable) {
    WriteNulls(rows);
    return OkStatus();
  }
  std::map<std::string, RowCustomers> counts;
  std::map<std::string, std::map<std::string, std::pair<const StoreSource*, Period>>> by_scope;
  for (const StoreSource& s : stores) {
    ASSIGN_OR_RETURN(auto period, ResolvePeriod(request, *s.zone, now_ms));
    if (by == GroupBy::kStore || stores.size() == 1) {  // every row holds this store alone
      RETURN_IF_ERROR(CountOneStore(by, s, period.first, period.second, &counts));
    } else {
      RETURN_IF_ERROR(CountSeen(by, s, period.first, period.second, &counts));
    }
    std::string scope = FirstsScope(by, request, s);
    if (scope_firsts == nullptr || scope.rfind("store:", 0) == 0) {  // judged at the store
      RETURN_IF_ERROR(s.customers->ReadFirsts(
          period.first, period.second,
          [&](int64_t ts, const std::string&) { counts[RowKey(by, s, ts)].fresh++; }));
    } else {
      by_scope[scope][s.store] = {&s, Period{period.first, period.second}};
    }
  }
  for (const auto& [scope, members] : by_scope) {
    RETURN_IF_ERROR(CountScopeFirsts(by, scope, *scope_firsts, members, &counts));
  }
  WriteFigures(counts, rows);
  return OkStatus();
}

}  // namespace storepulse::common
