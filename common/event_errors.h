// The error messages about producers' events, in one place so that the decoders (shape) and the
// validator (values) word them alike:
//
//   field 'lines[2].qty': must be between 1 and 100000, got -3
//   field 'ts': missing
//   event is 70012 bytes, over the 65536-byte limit
//
// Every message names the field, the rule and the offending value (quoted and cut to 40
// characters). All are InvalidArgument except the whole-batch size limits (ResourceExhausted).
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace storepulse::common {

// Where an error is: a top-level field ("ts"), a line ("lines[2]") or a field of a line
// ("lines[2].qty"). A view: the names must outlive it (they are string literals in practice).
struct FieldPath {
  FieldPath() = default;
  FieldPath(std::string_view field) : name(field) {}  // NOLINT: implicit, so {"ts"} reads well
  static FieldPath Line(int64_t index, std::string_view field = {}) {
    FieldPath path("lines");
    path.line = index;
    path.line_field = field;
    return path;
  }

  // A member of `credits` ("credits[1]", "credits[1].share").
  static FieldPath Credit(int64_t index, std::string_view field = {}) {
    FieldPath path = Line(index, field);
    path.name = "credits";
    return path;
  }

  std::string_view name;        // top-level field; "lines" for anything inside a line
  int64_t line = -1;            // index in `lines` when >= 0
  std::string_view line_field;  // field of that line; empty for the line itself

  std::string ToString() const;  // "ts", "lines[2]", "lines[2].qty"
};

// "field 'ts': missing"
Status MissingField(const FieldPath& path);
// "field 'qty': <rule>, got <got>"; `got` is already a description (see Quote*/Describe*).
Status FieldError(const FieldPath& path, std::string_view rule, std::string_view got);
// "field 'type': unknown type "sail" (expected sale, return, ...)"
template <size_t N>
Status UnknownName(const FieldPath& path, std::string_view noun, std::string_view value,
                   const std::array<std::string_view, N>& names);
Status UnknownNameIn(const FieldPath& path, std::string_view noun, std::string_view value,
                     const std::string_view* names, size_t count);

// Descriptions of offending values for the `got` part.
std::string QuoteString(std::string_view value);  // "\"sail\"", cut to 40 characters
std::string DescribeSize(size_t bytes);           // "70 bytes"
// A labour event with both `staff` and `hours` (`both`), or neither.
Status StaffOrHours(bool both);
std::string DescribeDouble(double value);         // shortest round-trip form: "2.5", "1e+30"
// An instant as RFC 3339 UTC with ms when it is within years 0001–9999, else "<n> ms".
std::string DescribeTime(int64_t utc_ms);

// Size limits (event_limits.h), with the numbers in the message.
// InvalidArgument, for one element of a batch; `bytes` as EventSizeMeter counts them.
Status EventTooLarge(size_t bytes);
Status BatchTooManyBytes(size_t bytes);    // ResourceExhausted, for the whole batch
Status BatchTooManyEvents(size_t events);  // ResourceExhausted, for the whole batch

template <size_t N>
Status UnknownName(const FieldPath& path, std::string_view noun, std::string_view value,
                   const std::array<std::string_view, N>& names) {
  return UnknownNameIn(path, noun, value, names.data(), N);
}

}  // namespace storepulse::common
