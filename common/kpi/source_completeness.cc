#include "common/kpi/source_completeness.h"

#include "common/kpi/kpi_query.h"

namespace storepulse::common {

std::map<int64_t, DayCompleteness> JudgeDays(
    const std::map<int64_t, std::set<SourceRef>>& reported, int64_t first_day, int64_t end_day) {
  std::map<int64_t, DayCompleteness> days;
  for (int64_t day = first_day; day < end_day; ++day) {
    std::set<SourceRef> known;
    for (auto it = reported.lower_bound(day - kKnownSourceDays);
         it != reported.end() && it->first <= day; ++it) {
      known.insert(it->second.begin(), it->second.end());
    }
    auto today = reported.find(day);
    DayCompleteness& judged = days[day];
    judged.known = static_cast<int64_t>(known.size());
    for (const SourceRef& source : known) {  // std::set: by kind, then id
      if (today == reported.end() || !today->second.contains(source)) {
        judged.missing.push_back(source);
      }
    }
  }
  return days;
}

StatusOr<std::map<int64_t, DayCompleteness>> ReadDayCompleteness(MeasureReader& reader,
                                                                 int64_t first_day,
                                                                 int64_t end_day) {
  std::map<int64_t, std::set<SourceRef>> reported;
  RETURN_IF_ERROR(reader.ReadDimension(
      Dimension::kSource, Grain::kDay, first_day - kKnownSourceDays, end_day,
      [&](int64_t day, const std::string& key, const Measures&) {
        if (std::optional<SourceRef> source = ParseSourceKey(key)) {
          reported[day].insert(std::move(*source));
        }
      }));
  return JudgeDays(reported, first_day, end_day);
}

}  // namespace storepulse::common
