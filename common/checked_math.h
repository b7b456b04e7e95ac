// Overflow-checked integer arithmetic for money, quantities and counts (docs/KPIS.md, "Limits and
// overflow"). The input limits (event_limits.h) keep any plausible history far inside int64; these
// make the rest safe anyway: every sum of stored or summed figures goes through them, so a total
// that would leave the int64 range is refused with a reason, never wrapped and never saturated.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace storepulse::common {

// a + b, a − b, a × b; nothing when the exact result does not fit in int64.
inline std::optional<int64_t> CheckedAdd(int64_t a, int64_t b) {
  int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}
inline std::optional<int64_t> CheckedSub(int64_t a, int64_t b) {
  int64_t out = 0;
  if (__builtin_sub_overflow(a, b, &out)) return std::nullopt;
  return out;
}
inline std::optional<int64_t> CheckedMul(int64_t a, int64_t b) {
  int64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

// OutOfRange: "<what>: <a> + <b> would exceed the 64-bit integer range (±9223372036854775807)".
inline Status SumOverflow(std::string_view what, int64_t a, int64_t b) {
  return OutOfRange(std::string(what) + ": " + std::to_string(a) + " + " + std::to_string(b) +
                    " would exceed the 64-bit integer range (±9223372036854775807)");
}

}  // namespace storepulse::common
