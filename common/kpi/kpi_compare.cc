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

using nlohmann::json;

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
std::string ShiftKey(std::string_view by, const std::string& key, int64_t days) {
  if ((by != "day" && by != "hour") || key.size() < 10) return key;
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
  PreviousRows(const json& previous, std::string_view by) : hourly_(by == "hour") {
    if (!previous.contains("rows") || !previous["rows"].is_array()) return;
    for (const json& row : previous["rows"]) {
      const std::string key = row.value("key", "");
      by_key_.emplace(key, &row);
      if (hourly_) by_wall_clock_.emplace(WallClock(key), &row);  // the first one wins
    }
  }

  const json* Find(const std::string& key) const {
    if (auto it = by_key_.find(key); it != by_key_.end()) return it->second;
    if (!hourly_) return nullptr;
    auto it = by_wall_clock_.find(WallClock(key));
    return it == by_wall_clock_.end() ? nullptr : it->second;
  }

 private:
  bool hourly_;
  std::map<std::string, const json*> by_key_;
  std::map<std::string, const json*> by_wall_clock_;
};

// An earlier row with no data: zero sums and null rates, plus null for any KPI of `current` the
// formula library does not produce from measures alone.
json EmptyRow(const std::string& key, const json& current) {
  json row = KpiRow(key, Measures{});
  for (const auto& [name, value] : current.items()) {
    if (!row.contains(name)) row[name] = nullptr;
  }
  return row;
}

json Delta(const json& actual, const json& previous) {
  if (!actual.is_number() || !previous.is_number()) return nullptr;
  if (actual.is_number_integer() && previous.is_number_integer()) {
    // Net sales may be negative: the difference of two of them may not fit (then: no figure).
    std::optional<int64_t> delta = CheckedSub(actual.get<int64_t>(), previous.get<int64_t>());
    return delta ? json(*delta) : json(nullptr);
  }
  return actual.get<double>() - previous.get<double>();
}

json Change(const json& actual, const json& previous) {
  if (!actual.is_number() || !previous.is_number()) return nullptr;
  const double before = previous.get<double>();
  if (before == 0) return nullptr;
  return (actual.get<double>() - before) / std::fabs(before);
}

void CompareRow(const json& previous, json* row) {
  json delta = json::object();
  json change = json::object();
  for (const auto& [name, value] : row->items()) {
    if (name == "key" || value.is_object() || value.is_array()) continue;
    const json& before = previous.contains(name) ? previous[name] : json();
    delta[name] = Delta(value, before);
    change[name] = Change(value, before);
  }
  (*row)["previous"] = previous;
  (*row)["delta"] = std::move(delta);
  (*row)["change"] = std::move(change);
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

void MergeComparison(CompareWith with, const json& previous, json* current) {
  const int64_t days = CompareShiftDays(with);
  const std::string by = current->value("by", "total");
  (*current)["compare"] = {{"with", std::string(CompareWithName(with))},
                           {"days", days},
                           {"from", previous.value("from", json())},
                           {"to", previous.value("to", json())}};
  if (!current->contains("rows") || !(*current)["rows"].is_array()) return;
  const PreviousRows earlier(previous, by);
  for (json& row : (*current)["rows"]) {
    const std::string key = ShiftKey(by, row.value("key", ""), days);
    const json* match = earlier.Find(key);
    CompareRow(match != nullptr ? *match : EmptyRow(key, row), &row);
  }
}

StatusOr<json> RunKpiQueryCompared(const KpiRequest& request, CompareWith with,
                                   const std::vector<StoreSource>& stores, int64_t now_ms) {
  ASSIGN_OR_RETURN(json current, RunKpiQuery(request, stores, now_ms));
  if (with == CompareWith::kNone) return current;
  const int64_t days = CompareShiftDays(with);
  ASSIGN_OR_RETURN(const json previous, RunKpiQuery(ShiftRequest(request, days), stores,
                                                    ShiftedNowMs(stores, now_ms, days)));
  MergeComparison(with, previous, &current);
  return current;
}

}  // namespace storepulse::common
