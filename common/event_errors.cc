#include "common/event_errors.h"

#include <charconv>

#include "common/event_limits.h"
#include "common/time_util.h"
#include "common/utf8.h"

namespace storepulse::common {

namespace {
// The span of instants FormatRfc3339Utc renders with a four-digit year.
constexpr int64_t kFirstFormattableMs = -62'135'596'800'000;  // 0001-01-01T00:00:00Z
constexpr int64_t kLastFormattableMs = 253'402'300'799'999;   // 9999-12-31T23:59:59.999Z
}  // namespace

std::string FieldPath::ToString() const {
  if (line < 0) return std::string(name);
  std::string out = std::string(name) + "[" + std::to_string(line) + "]";
  if (!line_field.empty()) {
    out.push_back('.');
    out.append(line_field);
  }
  return out;
}

Status MissingField(const FieldPath& path) {
  return InvalidArgument("field '" + path.ToString() + "': missing");
}

Status FieldError(const FieldPath& path, std::string_view rule, std::string_view got) {
  std::string message = "field '" + path.ToString() + "': ";
  message.append(rule);
  message.append(", got ");
  message.append(got);
  return InvalidArgument(std::move(message));
}

Status UnknownNameIn(const FieldPath& path, std::string_view noun, std::string_view value,
                     const std::string_view* names, size_t count) {
  std::string message = "field '" + path.ToString() + "': unknown ";
  message.append(noun);
  message.append(" ");
  message.append(QuoteString(value));
  message.append(" (expected ");
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) message.append(", ");
    message.append(names[i]);
  }
  message.append(")");
  return InvalidArgument(std::move(message));
}

std::string QuoteString(std::string_view value) { return QuoteForMessage(value, 40); }

std::string DescribeSize(size_t bytes) { return std::to_string(bytes) + " bytes"; }

Status StaffOrHours(bool both) {
  return InvalidArgument(std::string("fields 'staff' and 'hours': a labour event gives exactly one "
                                     "of them, got ") +
                         (both ? "both" : "neither"));
}

std::string DescribeDouble(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

std::string DescribeTime(int64_t utc_ms) {
  if (utc_ms < kFirstFormattableMs || utc_ms > kLastFormattableMs) {
    return std::to_string(utc_ms) + " ms";
  }
  return FormatRfc3339Utc(utc_ms);
}

Status EventTooLarge(size_t bytes) {
  return InvalidArgument("event is " + std::to_string(bytes) + " bytes, over the " +
                         std::to_string(kMaxEventBytes) + "-byte limit");
}

Status BatchTooManyBytes(size_t bytes) {
  return ResourceExhausted("batch is " + std::to_string(bytes) + " bytes, over the " +
                           std::to_string(kMaxBatchBytes) + "-byte limit");
}

Status BatchTooManyEvents(size_t events) {
  return ResourceExhausted("batch has " + std::to_string(events) + " events, over the " +
                           std::to_string(kMaxBatchEvents) + "-event limit");
}

}  // namespace storepulse::common
