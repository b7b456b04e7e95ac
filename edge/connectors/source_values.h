// Reading the values sources send as text — decimal money and quantities, timestamps with or
// without an offset — exactly, with an error that names the value. Stateless.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"
#include "common/time_zone.h"

namespace storepulse::edge {

// A decimal number as an integer count of 10^-digits units: ("12.5", 2) → 1250,
// ("-3", 2) → -300, ("1,25", 2, ',') → 125. Exact, never through a double: more fractional digits
// than `digits` are accepted only when they are zeros ("12.500" → 1250; "12.505" is an error,
// since rounding money silently would invent or lose cents). A leading '+' or '-', no exponent,
// no thousands separators, at most 18 significant digits.
common::StatusOr<int64_t> ParseDecimal(std::string_view text, int digits, char separator = '.');

// A source's timestamp: RFC 3339 with an offset ("2026-12-04T10:15:00+01:00", "…Z") as is; a
// local wall-clock time without an offset ("2026-12-04T10:15:00", "2026-12-04 10:15",
// fractions of a second allowed) in the store's zone `zone`. UTC ms.
common::StatusOr<int64_t> ParseSourceTime(std::string_view text, const common::TimeZone& zone);

// InvalidArgument "<what> is N bytes, over the 256 an event's text field holds" when `value` is
// longer than SPEC §2 lets an event's text field be. For a value a source gives once for many
// events — a sensor's serial, a transaction's operator, an order's reference — checked where it
// is read: copied into each event first, 1 MB of it in 20,000 records of a 4 MiB body made 20 GB.
common::Status CheckTextLength(std::string_view what, std::string_view value);

}  // namespace storepulse::edge
