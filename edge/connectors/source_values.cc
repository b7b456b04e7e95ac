#include "edge/connectors/source_values.h"

#include <string>

#include "common/event_limits.h"
#include "common/time_util.h"

namespace storepulse::edge {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Quoted(std::string_view text) { return "\"" + std::string(text.substr(0, 40)) + "\""; }

// Reads `count` digits at `pos` into *value; false unless they are all digits.
bool ReadDigits(std::string_view text, size_t pos, size_t count, int64_t* value) {
  if (pos + count > text.size()) return false;
  *value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (!IsDigit(text[i])) return false;
    *value = *value * 10 + (text[i] - '0');
  }
  return true;
}

// True when the text from `pos` on carries a UTC offset or Z after the time of day.
bool HasOffset(std::string_view text, size_t pos) {
  for (size_t i = pos; i < text.size(); ++i) {
    char c = text[i];
    if (c == 'Z' || c == 'z' || c == '+' || c == '-') return true;
  }
  return false;
}

}  // namespace

common::StatusOr<int64_t> ParseDecimal(std::string_view text, int digits, char separator) {
  std::string_view rest = text;
  bool negative = false;
  if (!rest.empty() && (rest[0] == '-' || rest[0] == '+')) {
    negative = rest[0] == '-';
    rest.remove_prefix(1);
  }
  size_t point = rest.find(separator);
  std::string_view whole = rest.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? "" : rest.substr(point + 1);
  bool shaped = !whole.empty() || !fraction.empty();
  for (char c : whole) shaped = shaped && IsDigit(c);
  for (char c : fraction) shaped = shaped && IsDigit(c);
  if (!shaped || (point != std::string_view::npos && fraction.empty() && whole.empty())) {
    return common::InvalidArgument("not a decimal number: " + Quoted(text));
  }
  for (size_t i = static_cast<size_t>(digits); i < fraction.size(); ++i) {
    if (fraction[i] != '0') {
      return common::InvalidArgument(Quoted(text) + " has more than " + std::to_string(digits) +
                                     " decimal places (the currency's minor unit)");
    }
  }
  int64_t value = 0;
  int significant = 0;
  auto push = [&](char c) {
    if (value != 0 || c != '0') ++significant;
    value = value * 10 + (c - '0');
  };
  for (char c : whole) {
    push(c);
    if (significant > 18) return common::InvalidArgument("number too large: " + Quoted(text));
  }
  for (int i = 0; i < digits; ++i) {
    push(static_cast<size_t>(i) < fraction.size() ? fraction[i] : '0');
    if (significant > 18) return common::InvalidArgument("number too large: " + Quoted(text));
  }
  return negative ? -value : value;
}

common::StatusOr<int64_t> ParseSourceTime(std::string_view text, const common::TimeZone& zone) {
  // "YYYY-MM-DD" then 'T' or ' ' then "HH:MM", optionally ":SS" and a fraction.
  int64_t year, month, day, hour, minute, second = 0, ms = 0;
  bool shaped = text.size() >= 16 && ReadDigits(text, 0, 4, &year) && text[4] == '-' &&
                ReadDigits(text, 5, 2, &month) && text[7] == '-' && ReadDigits(text, 8, 2, &day) &&
                (text[10] == 'T' || text[10] == 't' || text[10] == ' ') &&
                ReadDigits(text, 11, 2, &hour) && text[13] == ':' &&
                ReadDigits(text, 14, 2, &minute);
  if (!shaped) {
    return common::InvalidArgument("not a date and time (YYYY-MM-DDTHH:MM[:SS], with or without "
                                   "an offset): " + Quoted(text));
  }
  if (HasOffset(text, 16)) {
    std::string rfc(text);
    rfc[10] = 'T';
    if (rfc.size() > 16 && rfc[16] != ':') rfc.insert(16, ":00");  // "HH:MM+01:00"
    return common::ParseRfc3339(rfc);
  }
  size_t pos = 16;
  if (pos < text.size()) {
    if (text[pos] != ':' || !ReadDigits(text, pos + 1, 2, &second)) {
      return common::InvalidArgument("not a time of day HH:MM[:SS]: " + Quoted(text));
    }
    pos += 3;
    if (pos < text.size()) {
      if (text[pos] != '.' || pos + 1 == text.size()) {
        return common::InvalidArgument("unexpected text after the time: " + Quoted(text));
      }
      int64_t scale = 100;
      for (size_t i = pos + 1; i < text.size(); ++i) {
        if (!IsDigit(text[i])) {
          return common::InvalidArgument("unexpected text after the time: " + Quoted(text));
        }
        ms += (text[i] - '0') * scale;
        scale /= 10;
      }
    }
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return common::InvalidArgument("no such time of day: " + Quoted(text));
  }
  auto local_day = common::TimeZone::ParseLocalDate(text.substr(0, 10));
  if (!local_day.ok()) return local_day.status();
  return zone.LocalTimeToUtcMs(*local_day, ((hour * 60 + minute) * 60 + second) * 1000 + ms);
}

common::Status CheckTextLength(std::string_view what, std::string_view value) {
  if (value.size() <= common::kMaxTextBytes) return common::OkStatus();
  return common::InvalidArgument(std::string(what) + " is " + std::to_string(value.size()) +
                                 " bytes, over the " + std::to_string(common::kMaxTextBytes) +
                                 " an event's text field holds");
}

}  // namespace storepulse::edge
