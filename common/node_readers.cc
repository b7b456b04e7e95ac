#include "common/node_readers.h"

#include <cmath>

#include "common/time_util.h"
#include "common/utf8.h"

namespace storepulse::common::node_read {

Status IntFromDouble(double value, const FieldPath& path, int64_t* out) {
  if (!std::isfinite(value) || value != std::trunc(value)) {
    return FieldError(path, "must be an integer", DescribeDouble(value));
  }
  // [-2^63, 2^63): the doubles that convert to int64 without overflow (anything else is UB).
  if (value < -9223372036854775808.0 || value >= 9223372036854775808.0) {
    return FieldError(path, "must be an integer that fits in 64 bits", DescribeDouble(value));
  }
  *out = static_cast<int64_t>(value);
  return OkStatus();
}

// Bounded well beyond any valid value (the validator's kMaxStaff × kMaxPeriodS) so that the
// conversion is defined; the validator then gives the rule.
Status SecondsFromHours(double hours, const FieldPath& path, int64_t* seconds) {
  constexpr double kLimit = 1e15;
  const double s = hours * 3600.0;
  if (!std::isfinite(s) || s > kLimit || s < -kLimit) {
    return FieldError(path, "must be a number of hours below 1e11", DescribeDouble(hours));
  }
  *seconds = std::llround(s);
  return OkStatus();
}

Status CheckString(std::string_view value, const FieldPath& path, Need need, size_t max_bytes) {
  const bool empty_refused = need == Need::kRequired;
  if (value.size() > max_bytes || (empty_refused && value.empty())) {
    const std::string rule = empty_refused
                                 ? "must be 1 to " + std::to_string(max_bytes) + " bytes"
                                 : "must be at most " + std::to_string(max_bytes) + " bytes";
    return FieldError(path, rule, DescribeSize(value.size()));
  }
  if (!IsValidUtf8(value)) return FieldError(path, "must be valid UTF-8", QuoteString(value));
  // U+0000 is valid UTF-8, but no text column of PostgreSQL (central's log, issue 10) can hold
  // it: one such event would fail every group it is in, at every central.
  if (value.find('\0') != std::string_view::npos) {
    return FieldError(path, "must not contain U+0000 (NUL)", QuoteString(value));
  }
  return OkStatus();
}

Status CheckTime(std::string_view text, const FieldPath& path, int64_t* out) {
  StatusOr<int64_t> parsed = ParseRfc3339(text);
  if (!parsed.ok()) return FieldError(path, kTimeRule, QuoteString(text));
  *out = *parsed;
  return OkStatus();
}

Status NonStringKey(const FieldPath& where) {
  if (where.name.empty()) return InvalidArgument("event: field names must be strings");
  return InvalidArgument("field '" + where.ToString() + "': field names must be strings");
}

Status DuplicateField(const FieldPath& path) {
  return InvalidArgument("field '" + path.ToString() + "': appears more than once");
}

}  // namespace storepulse::common::node_read
