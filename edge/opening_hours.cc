#include "edge/opening_hours.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace storepulse::edge {

namespace {

constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu",
                                                   "fri", "sat", "sun"};
constexpr int kDayMinutes = 24 * 60;
constexpr int64_t kMaxSpanMs = int64_t{400} * 86'400'000;

std::string Quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return std::string(text);
}

// `text` without spaces, lower-cased.
std::string Squeeze(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> items;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    items.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return items;
    start = end + 1;
  }
}

// 0 = Monday, for a local day number (1970-01-01 was a Thursday).
int WeekdayOf(int64_t local_day) { return static_cast<int>(((local_day % 7) + 7 + 3) % 7); }

common::StatusOr<int> DayIndex(const std::string& name, std::string_view entry) {
  for (size_t i = 0; i < kDays.size(); ++i) {
    if (kDays[i] == name) return static_cast<int>(i);
  }
  return common::InvalidArgument(Quote(name) +
                                 " is not a day (mon, tue, wed, thu, fri, sat, sun) in " +
                                 Quote(entry));
}

// "mon-fri,sun" → {0, 1, 2, 3, 4, 6}; a range may wrap ("sat-mon").
common::StatusOr<std::vector<int>> ParseDays(const std::string& days, std::string_view entry) {
  if (days.empty()) {
    return common::InvalidArgument("no day before the hours in " + Quote(entry) +
                                   " (e.g. \"mon-fri 09:00-19:00\")");
  }
  std::vector<int> out;
  for (const std::string& item : Split(days, ',')) {
    const size_t dash = item.find('-');
    ASSIGN_OR_RETURN(const int first, DayIndex(item.substr(0, dash), entry));
    int last = first;
    if (dash != std::string::npos) {
      ASSIGN_OR_RETURN(last, DayIndex(item.substr(dash + 1), entry));
    }
    for (int day = first;; day = (day + 1) % 7) {
      out.push_back(day);
      if (day == last) break;
    }
  }
  return out;
}

// "9:00", "09:00", "24:00" → minutes after midnight.
common::StatusOr<int> ParseTime(const std::string& text, std::string_view entry) {
  const size_t colon = text.find(':');
  const bool shaped = colon != std::string::npos && (colon == 1 || colon == 2) &&
                      text.size() == colon + 3 &&
                      // one colon: "05::0" passed and std::stoi(":0") threw
                      std::count(text.begin(), text.end(), ':') == 1 &&
                      std::all_of(text.begin(), text.end(), [](char c) {
                        return c == ':' || std::isdigit(static_cast<unsigned char>(c));
                      });
  const int hours = shaped ? std::stoi(text.substr(0, colon)) : -1;
  const int minutes = shaped ? std::stoi(text.substr(colon + 1)) : -1;
  if (!shaped || hours > 24 || minutes > 59 || (hours == 24 && minutes != 0)) {
    return common::InvalidArgument(Quote(text) + " is not a time HH:MM (00:00 to 24:00) in " +
                                   Quote(entry));
  }
  return hours * 60 + minutes;
}

// "09:00-19:00" → {540, 1140}; "20:00-02:00" → {1200, 1560} (past midnight).
common::StatusOr<std::pair<int, int>> ParseRange(const std::string& range,
                                                 std::string_view entry) {
  const size_t dash = range.find('-');
  if (dash == std::string::npos) {
    return common::InvalidArgument(Quote(range) + " is not a range of hours HH:MM-HH:MM in " +
                                   Quote(entry));
  }
  ASSIGN_OR_RETURN(const int start, ParseTime(range.substr(0, dash), entry));
  ASSIGN_OR_RETURN(int end, ParseTime(range.substr(dash + 1), entry));
  if (start == kDayMinutes) {
    return common::InvalidArgument("24:00 may only end a range, in " + Quote(entry));
  }
  if (end == start) {
    return common::InvalidArgument(Quote(range) + " is empty; a whole day is 00:00-24:00, in " +
                                   Quote(entry));
  }
  if (end < start) end += kDayMinutes;  // runs past midnight into the next day
  return std::make_pair(start, end);
}

}  // namespace

common::StatusOr<OpeningHours> OpeningHours::Parse(std::string_view text) {
  OpeningHours hours;
  if (Trim(text).empty()) return hours;
  hours.always_open_ = false;
  std::array<bool, 7> named{};
  for (const std::string& raw : Split(std::string(text), ';')) {
    const std::string entry = Trim(raw);
    if (entry.empty()) continue;  // "…; sat 10:00-18:00;" ends with an empty entry
    const std::string squeezed = Squeeze(entry);
    const bool closed = squeezed.ends_with("closed");
    const size_t first_digit = squeezed.find_first_of("0123456789");
    if (!closed && first_digit == std::string::npos) {
      return common::InvalidArgument("no hours in " + Quote(entry) +
                                     " (HH:MM-HH:MM, or \"closed\")");
    }
    const size_t hours_at = closed ? squeezed.size() - 6 : first_digit;
    ASSIGN_OR_RETURN(const std::vector<int> days, ParseDays(squeezed.substr(0, hours_at), entry));
    std::vector<std::pair<int, int>> ranges;
    if (!closed) {
      for (const std::string& range : Split(squeezed.substr(hours_at), ',')) {
        ASSIGN_OR_RETURN(const auto minutes, ParseRange(range, entry));
        ranges.push_back(minutes);
      }
    }
    for (int day : days) {
      if (named[day]) {
        return common::InvalidArgument(std::string(kDays[day]) + " is named twice (in " +
                                       Quote(entry) + ")");
      }
      named[day] = true;
      for (const auto& [start, end] : ranges) hours.spans_.push_back(Span{day, start, end});
    }
  }
  return hours;
}

std::vector<std::pair<int64_t, int64_t>> OpeningHours::OpenIntervals(
    int64_t from_ms, int64_t to_ms, const common::TimeZone& zone) const {
  std::vector<std::pair<int64_t, int64_t>> intervals;
  if (to_ms <= from_ms) return intervals;
  if (always_open_) return {{from_ms, to_ms}};
  // The day before `from` too: its ranges past midnight reach into from's day.
  for (int64_t day = zone.LocalDayOf(from_ms) - 1; day <= zone.LocalDayOf(to_ms); ++day) {
    for (const Span& span : spans_) {
      if (span.weekday != WeekdayOf(day)) continue;
      const int64_t start = zone.LocalTimeToUtcMs(day, int64_t{span.start_min} * 60'000);
      const int64_t end = zone.LocalTimeToUtcMs(day + span.end_min / kDayMinutes,
                                                int64_t{span.end_min % kDayMinutes} * 60'000);
      const int64_t a = std::max(start, from_ms), b = std::min(end, to_ms);
      if (a < b) intervals.emplace_back(a, b);
    }
  }
  std::sort(intervals.begin(), intervals.end());
  std::vector<std::pair<int64_t, int64_t>> merged;
  for (const auto& interval : intervals) {
    if (!merged.empty() && interval.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, interval.second);
    } else {
      merged.push_back(interval);
    }
  }
  return merged;
}

int64_t OpeningHours::OpenMsBetween(int64_t from_ms, int64_t to_ms,
                                    const common::TimeZone& zone) const {
  from_ms = std::max(from_ms, to_ms - kMaxSpanMs);
  int64_t open = 0;
  for (const auto& [a, b] : OpenIntervals(from_ms, to_ms, zone)) open += b - a;
  return open;
}

std::optional<int64_t> OpeningHours::InstantAfterOpen(int64_t from_ms, int64_t open_ms,
                                                      int64_t limit_ms,
                                                      const common::TimeZone& zone) const {
  if (open_ms <= 0) return from_ms < limit_ms ? std::optional<int64_t>(from_ms) : std::nullopt;
  int64_t left = open_ms;
  for (const auto& [a, b] : OpenIntervals(from_ms, std::min(limit_ms, from_ms + kMaxSpanMs),
                                          zone)) {
    if (b - a >= left) return a + left;
    left -= b - a;
  }
  return std::nullopt;
}

}  // namespace storepulse::edge
