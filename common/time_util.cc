#include "common/time_util.h"

#include <chrono>
#include <sstream>

#include <date/date.h>

namespace storepulse::common {

StatusOr<int64_t> ParseRfc3339(std::string_view text) {
  if (text.size() < 20 || text.size() > 40) {
    return InvalidArgument("not an RFC 3339 timestamp: \"" + std::string(text.substr(0, 40)) + "\"");
  }
  std::string upper(text);
  for (char& c : upper) {
    if (c == 't') c = 'T';
    if (c == 'z') c = 'Z';
  }
  std::istringstream in(upper);
  date::sys_time<std::chrono::milliseconds> tp;
  if (upper.back() == 'Z') {
    in >> date::parse("%FT%TZ", tp);
  } else {
    in >> date::parse("%FT%T%Ez", tp);
  }
  // The whole string must be consumed: no trailing garbage.
  if (in.fail() || in.peek() != std::char_traits<char>::eof()) {
    return InvalidArgument("not an RFC 3339 timestamp: \"" + std::string(text) + "\"");
  }
  return static_cast<int64_t>(tp.time_since_epoch().count());
}

std::string FormatRfc3339Utc(int64_t utc_ms) {
  date::sys_time<std::chrono::milliseconds> tp{std::chrono::milliseconds(utc_ms)};
  return date::format("%FT%TZ", tp);
}

int64_t SystemClock::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace storepulse::common
