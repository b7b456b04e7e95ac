#include "common/time_zone.h"

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <stdexcept>

namespace storepulse::common {
namespace {

using Ms = std::chrono::milliseconds;
constexpr int64_t kHourMs = 3600 * 1000;

// Floor modulo: the result has the sign of `d` (> 0), so it is right before 1970 too.
int64_t FloorMod(int64_t n, int64_t d) {
  int64_t r = n % d;
  return r < 0 ? r + d : r;
}

date::sys_seconds ToSysSeconds(int64_t utc_ms) {
  return date::floor<std::chrono::seconds>(date::sys_time<Ms>{Ms{utc_ms}});
}

// "YYYY-MM-DD" of a civil day; shared by the date and date-time formatters. Hand-rolled rather
// than date::format, which goes through an ostream: KPI grouping formats one key per row.
void AppendDate(date::sys_days day, std::string* out) {
  const date::year_month_day ymd{day};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  out->append(buf);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int Digits(std::string_view text, size_t pos, size_t count) {
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

}  // namespace

StatusOr<TimeZone> TimeZone::Load(std::string_view iana_name) {
  try {
    (void)date::get_tzdb();
  } catch (const std::exception& e) {
    return Unavailable(
        std::string("cannot read the system time zone database (is tzdata installed?): ") +
        e.what());
  }
  try {
    const date::time_zone* zone = date::locate_zone(iana_name);
    return TimeZone(std::string(iana_name), zone);
  } catch (const std::runtime_error&) {
    return NotFound("unknown time zone \"" + std::string(iana_name) +
                    "\" (an IANA name such as Europe/Paris)");
  }
}

int64_t TimeZone::LocalDayOf(int64_t utc_ms) const {
  const auto local = zone_->to_local(date::sys_time<Ms>{Ms{utc_ms}});
  return date::floor<date::days>(local).time_since_epoch().count();
}

int64_t TimeZone::LocalDayStartMs(int64_t local_day) const {
  // earliest: an ambiguous midnight is its first occurrence; a skipped midnight resolves to the
  // transition instant, which is the day's first valid local time.
  const date::local_days midnight{date::days{local_day}};
  const auto start = zone_->to_sys(midnight, date::choose::earliest);
  return std::chrono::duration_cast<Ms>(start.time_since_epoch()).count();
}

std::string TimeZone::FormatLocalDate(int64_t local_day) {
  std::string out;
  AppendDate(date::sys_days{date::days{local_day}}, &out);
  return out;
}

StatusOr<int64_t> TimeZone::ParseLocalDate(std::string_view text) {
  bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-';
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) shaped = shaped && IsDigit(text[i]);
  if (!shaped) {
    return InvalidArgument("not a date YYYY-MM-DD: \"" + std::string(text.substr(0, 40)) + "\"");
  }
  const date::year_month_day ymd{date::year{Digits(text, 0, 4)},
                                 date::month{static_cast<unsigned>(Digits(text, 5, 2))},
                                 date::day{static_cast<unsigned>(Digits(text, 8, 2))}};
  if (!ymd.ok()) {
    return InvalidArgument("not a calendar date: \"" + std::string(text) + "\"");
  }
  return static_cast<int64_t>(date::sys_days{ymd}.time_since_epoch().count());
}

std::string TimeZone::FormatLocal(int64_t utc_ms) const {
  const date::sys_seconds utc = ToSysSeconds(utc_ms);
  const auto offset = zone_->get_info(utc).offset;
  const date::local_seconds local{utc.time_since_epoch() + offset};
  const auto day = date::floor<date::days>(local);
  const date::hh_mm_ss<std::chrono::seconds> tod{local - day};

  std::string out;
  AppendDate(date::sys_days{day.time_since_epoch()}, &out);
  const int64_t offset_min = std::chrono::duration_cast<std::chrono::minutes>(offset).count();
  const int64_t abs_min = offset_min < 0 ? -offset_min : offset_min;
  char buf[64];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d%c%02d:%02d",
                static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
                static_cast<int>(tod.seconds().count()), offset_min < 0 ? '-' : '+',
                static_cast<int>(abs_min / 60), static_cast<int>(abs_min % 60));
  out.append(buf);
  return out;
}

int64_t TimeZone::LocalHourStartMs(int64_t utc_ms) const {
  const auto offset = zone_->get_info(ToSysSeconds(utc_ms)).offset;
  const int64_t local_ms = utc_ms + std::chrono::duration_cast<Ms>(offset).count();
  // Step back by the time into the local hour, keeping the offset in force at `utc_ms`.
  return utc_ms - FloorMod(local_ms, kHourMs);
}

int64_t TimeZone::LocalTimeToUtcMs(int64_t local_day, int64_t ms_of_day) const {
  const date::local_time<Ms> local{date::days{local_day} + Ms{ms_of_day}};
  const auto utc = zone_->to_sys(local, date::choose::earliest);
  return std::chrono::duration_cast<Ms>(utc.time_since_epoch()).count();
}

}  // namespace storepulse::common
