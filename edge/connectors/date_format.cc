#include "edge/connectors/date_format.h"

#include <cstdio>

#include "common/utf8.h"
#include "edge/connectors/source_values.h"

namespace storepulse::edge {
namespace {

constexpr std::string_view kDirectives = "YmdHMS";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads `min`–`max` digits at *pos (as many as there are, up to max).
bool ReadNumber(std::string_view text, size_t* pos, size_t min, size_t max, int* value) {
  size_t count = 0;
  *value = 0;
  while (count < max && *pos < text.size() && IsDigit(text[*pos])) {
    *value = *value * 10 + (text[(*pos)++] - '0');
    ++count;
  }
  return count >= min;
}

}  // namespace

common::StatusOr<DateFormat> DateFormat::Parse(std::string_view spec) {
  DateFormat format;
  if (spec == "iso") return format;
  std::string seen;
  for (size_t i = 0; i < spec.size(); ++i) {
    if (spec[i] != '%') continue;
    if (i + 1 == spec.size()) return common::InvalidArgument("date_format ends with a lone '%'");
    const char directive = spec[++i];
    if (directive == '%') continue;
    if (kDirectives.find(directive) == std::string_view::npos) {
      return common::InvalidArgument("unknown directive %" + std::string(1, directive) +
                                     " in date_format (known: %Y %m %d %H %M %S, or iso)");
    }
    if (seen.find(directive) != std::string::npos) {
      return common::InvalidArgument("%" + std::string(1, directive) +
                                     " appears twice in date_format");
    }
    seen.push_back(directive);
  }
  for (char needed : std::string_view("Ymd")) {
    if (seen.find(needed) == std::string::npos) {
      return common::InvalidArgument("date_format needs %Y, %m and %d (it has no %" +
                                     std::string(1, needed) + ")");
    }
  }
  format.spec_ = std::string(spec);
  format.pattern_ = format.spec_;
  return format;
}

common::StatusOr<int64_t> DateFormat::ToUtcMs(std::string_view text,
                                              const common::TimeZone& zone) const {
  if (pattern_.empty()) return ParseSourceTime(text, zone);
  auto mismatch = [&] {
    return common::InvalidArgument(common::QuoteForMessage(text) + " does not match date_format " +
                                   common::QuoteForMessage(spec_));
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  size_t pos = 0;
  for (size_t i = 0; i < pattern_.size(); ++i) {
    if (pattern_[i] != '%' || pattern_[i + 1] == '%') {
      if (pattern_[i] == '%') ++i;  // "%%": a literal '%'
      if (pos >= text.size() || text[pos] != pattern_[i]) return mismatch();
      ++pos;
      continue;
    }
    const char directive = pattern_[++i];
    int* field = directive == 'Y'   ? &year
                 : directive == 'm' ? &month
                 : directive == 'd' ? &day
                 : directive == 'H' ? &hour
                 : directive == 'M' ? &minute
                                    : &second;
    const size_t digits = directive == 'Y' ? 4 : 2;
    if (!ReadNumber(text, &pos, directive == 'Y' ? 4 : 1, digits, field)) return mismatch();
  }
  if (pos != text.size()) return mismatch();
  if (hour > 23 || minute > 59 || second > 59) {
    return common::InvalidArgument("no such time of day: " + common::QuoteForMessage(text));
  }
  char date[40];
  std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
  auto local_day = common::TimeZone::ParseLocalDate(date);
  if (!local_day.ok()) {
    return common::InvalidArgument("no such date: " + common::QuoteForMessage(text));
  }
  return zone.LocalTimeToUtcMs(*local_day, ((hour * 60LL + minute) * 60 + second) * 1000);
}

}  // namespace storepulse::edge
