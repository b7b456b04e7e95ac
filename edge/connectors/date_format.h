// How a CSV mapping file's dates are written (`date_format`, docs/CONNECTORS.md#csv): "iso" —
// RFC 3339 with an offset, or a local "YYYY-MM-DD HH:MM[:SS]" (ParseSourceTime) — or a pattern of
// %Y (4 digits), %m %d %H %M %S (1 or 2 digits) and literal characters, "%d/%m/%Y %H:%M" for
// "04/12/2026 10:15", read as a local time in the store's zone. %% is a literal '%'. Immutable;
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/time_zone.h"

namespace storepulse::edge {

class DateFormat {
 public:
  DateFormat() = default;  // iso

  // InvalidArgument naming what is wrong: an unknown or repeated directive, or a pattern
  // without %Y, %m and %d.
  static common::StatusOr<DateFormat> Parse(std::string_view spec);

  // UTC ms of `text`; InvalidArgument quoting it when it does not match or is no such time.
  common::StatusOr<int64_t> ToUtcMs(std::string_view text, const common::TimeZone& zone) const;

  const std::string& spec() const { return spec_; }

 private:
  std::string spec_ = "iso";
  std::string pattern_;  // empty for iso
};

}  // namespace storepulse::edge
