// A store's IANA time zone, and the local calendar arithmetic KPIs need: which local day an instant
// falls in, where a local day starts (a day may last 23, 24 or 25 hours), local hours with offsets.
// Wraps Howard Hinnant's date/tz (the system tzdata). Immutable after Load; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"

namespace date {
class time_zone;
}

namespace storepulse::common {

class TimeZone {
 public:
  // "Europe/Paris", "Asia/Kolkata", "UTC". NotFound for an unknown name, with the name in the
  // message; Unavailable when the system tz database (tzdata) cannot be read at all.
  static StatusOr<TimeZone> Load(std::string_view iana_name);

  const std::string& name() const { return name_; }

  // Local days are numbered as days since 1970-01-01 in the local calendar.
  int64_t LocalDayOf(int64_t utc_ms) const;
  // UTC ms of the first instant of local day `local_day` (its midnight, or the first valid local
  // time when a transition skips midnight).
  int64_t LocalDayStartMs(int64_t local_day) const;
  // "2026-11-22" for a local day number.
  static std::string FormatLocalDate(int64_t local_day);
  // The local day number of "YYYY-MM-DD"; InvalidArgument otherwise.
  static StatusOr<int64_t> ParseLocalDate(std::string_view text);
  // RFC 3339 local time with its offset at that instant, to the second:
  // "2026-03-29T03:00:00+02:00".
  std::string FormatLocal(int64_t utc_ms) const;
  // UTC ms of the start of the local hour holding `utc_ms`. Not a UTC floor: in Asia/Kolkata local
  // hours start at :30 UTC; on a fall-back night the two local 02:00 hours are two distinct starts.
  int64_t LocalHourStartMs(int64_t utc_ms) const;
  // UTC ms of a local wall-clock time, `ms_of_day` milliseconds after the local midnight of
  // `local_day`. A time that occurs twice (fall back) is its first occurrence; one that does not
  // exist (spring forward) is the instant of the transition, as a clock that skips the gap reads.
  int64_t LocalTimeToUtcMs(int64_t local_day, int64_t ms_of_day) const;

 private:
  TimeZone(std::string name, const date::time_zone* zone) : name_(std::move(name)), zone_(zone) {}
  std::string name_;
  const date::time_zone* zone_;  // owned by the date library's tz database; lives forever
};

}  // namespace storepulse::common
