#include "common/kpi/kpi_compare.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "common/checked_math.h"
#include "common/kpi/kpi_values.h"
#include "common/time_util.h"
#include "common/utf8.h"

namespace storepulse::common {
namespace {

constexpr int64_t kDayMs = 24 * 3600 * 1000;
constexpr std::array<std::string_view, 3> kCompareNames = {"none", "previous_week",
                                                           "previous_year"};

bool LooksLikeDate(std::string_view text) {
  return text.size() == 10 && text[4] == '-' && text[7] == '-';
}

// One end of the period, `days` earlier. Text that is neither a date nor an instant is left as is:
// the current query, run first, has already refused it.
std::string ShiftEnd(const std::string& text, int64_t days) {
  if (text.empty()) return text;
  if (LooksLikeDate(text)) {
    StatusOr<int64_t> day = TimeZone::ParseLocalDate(text);
    return day.ok() ? TimeZone::FormatLocalDate(*day - days) : text;
  }
  StatusOr<int64_t> ms = ParseRfc3339(text);
  return ms.ok() ? FormatRfc3339Utc(*ms - days * kDayMs) : text;
}

// A row key `days` earlier: the date of a day row, the local date of an hour row (its wall-clock
// time and offset kept); other keys are their own match.
std::string ShiftKey(GroupBy by, const std::string& key, int64_t days) {
  if ((by != GroupBy::kDay && by != GroupBy::kHour) || key.size() < 10) return key;
  StatusOr<int64_t> day = TimeZone::ParseLocalDate(std::string_view(key).substr(0, 10));
  if (!day.ok()) return key;
  return TimeZone::FormatLocalDate(*day - days) + key.substr(10);
}

// "2026-11-22T10:00:00+01:00" → "2026-11-22T10:00:00": an hour row's local wall-clock hour.
std::string WallClock(const std::string& key) { return key.substr(0, 19); }

// The earlier rows by key; for hour rows also by wall-clock hour, since a DST change in between
// gives the same local hour another offset.
class PreviousRows {
 public:
  PreviousRows(const KpiAnswer& previous, GroupBy by) : hourly_(by == GroupBy::kHour) {
    for (const KpiRow& row : previous.rows) {
      by_key_.emplace(row.key, &row);
      if (hourly_) by_wall_clock_.emplace(WallClock(row.key), &row);  // the first one wins
    }
  }

  const KpiRow* Find(const std::string& key) const {
    if (auto it = by_key_.find(key); it != by_key_.end()) return it->second;
    if (!hourly_) return nullptr;
    auto it = by_wall_clock_.find(WallClock(key));
    return it == by_wall_clock_.end() ? nullptr : it->second;
  }

 private:
  bool hourly_;
  std::map<std::string, const KpiRow*> by_key_;
  std::map<std::string, const KpiRow*> by_wall_clock_;
};

KpiValue Delta(const KpiValue& actual, const KpiValue& previous) {
  if (actual.is_null() || previous.is_null()) return KpiValue();
  if (actual.is_integer() && previous.is_integer()) {
    // Net sales may be negative: the difference of two of them may not fit (then: no figure).
    std::optional<int64_t> delta = CheckedSub(actual.integer(), previous.integer());
    return delta ? KpiValue::Integer(*delta) : KpiValue();
  }
  return KpiValue::Real(actual.AsDouble() - previous.AsDouble());
}

KpiValue Change(const KpiValue& actual, const KpiValue& previous) {
  if (actual.is_null() || previous.is_null()) return KpiValue();
  const double before = previous.AsDouble();
  if (before == 0) return KpiValue();
  return KpiValue::Real((actual.AsDouble() - before) / std::fabs(before));
}

// `row` against `previous` (an earlier row, or with no data: zero sums and null rates, and null
// for what measures alone do not give).
RowComparison CompareRow(const KpiRow& row, KpiRow previous) {
  RowComparison compared{std::move(previous), {}, {}};
  for (Kpi kpi : AllKpis()) {
    const size_t i = static_cast<size_t>(kpi);
    compared.delta[i] = Delta(row[kpi], compared.previous[kpi]);
    compared.change[i] = Change(row[kpi], compared.previous[kpi]);
  }
  return compared;
}

}  // namespace

StatusOr<CompareWith> ParseCompareWith(std::string_view text) {
  if (text.empty()) return CompareWith::kNone;
  for (size_t i = 1; i < kCompareNames.size(); ++i) {
    if (kCompareNames[i] == text) return static_cast<CompareWith>(i);
  }
  return InvalidArgument("compare: unknown value " + QuoteForMessage(text) +
                         " (previous_week or previous_year)");
}

std::string_view CompareWithName(CompareWith with) {
  return kCompareNames[static_cast<size_t>(with)];
}

int64_t CompareShiftDays(CompareWith with) {
  switch (with) {
    case CompareWith::kPreviousWeek:
      return 7;
    case CompareWith::kPreviousYear:
      return 364;  // 52 weeks: the same weekday
    case CompareWith::kNone:
      break;
  }
  return 0;
}

KpiRequest ShiftRequest(const KpiRequest& request, int64_t days) {
  KpiRequest shifted = request;
  shifted.from = ShiftEnd(request.from, days);
  shifted.to = ShiftEnd(request.to, days);
  return shifted;
}

int64_t ShiftedNowMs(const std::vector<StoreSource>& stores, int64_t now_ms, int64_t days) {
  const int64_t naive = now_ms - days * kDayMs;
  int64_t lo = std::numeric_limits<int64_t>::min();
  int64_t hi = std::numeric_limits<int64_t>::max();
  for (const StoreSource& s : stores) {
    if (s.zone == nullptr) continue;
    const int64_t day = s.zone->LocalDayOf(now_ms) - days;
    lo = std::max(lo, s.zone->LocalDayStartMs(day));
    hi = std::min(hi, s.zone->LocalDayStartMs(day + 1));
  }
  if (lo >= hi) return naive;
  return std::clamp(naive, lo, hi - 1);
}

void MergeComparison(CompareWith with, const KpiAnswer& previous, KpiAnswer* current) {
  Comparison compare;
  compare.with = with;
  compare.days = CompareShiftDays(with);
  compare.from = previous.from;
  compare.to = previous.to;
  const PreviousRows earlier(previous, current->by);
  for (const KpiRow& row : current->rows) {
    const std::string key = ShiftKey(current->by, row.key, compare.days);
    const KpiRow* match = earlier.Find(key);
    compare.rows.push_back(CompareRow(row, match != nullptr ? *match : MeasureKpis(key, {})));
  }
  current->compare = std::move(compare);
}

StatusOr<KpiAnswer> RunKpiQueryCompared(const KpiRequest& request, CompareWith with,
                                        const std::vector<StoreSource>& stores, int64_t now_ms) {
  ASSIGN_OR_RETURN(KpiAnswer current, RunKpiQuery(request, stores, now_ms));
  if (with == CompareWith::kNone) return current;
  const int64_t days = CompareShiftDays(with);
  ASSIGN_OR_RETURN(const KpiAnswer previous, RunKpiQuery(ShiftRequest(request, days), stores,
                                                         ShiftedNowMs(stores, now_ms, days)));
  MergeComparison(with, previous, &current);
  return current;
}

}  // namespace storepulse::common
