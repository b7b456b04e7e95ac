// UTF-8 checks for untrusted text, and safe quoting of such text inside error messages.
//
// Producers' strings end up in JSON answers, logs and dashboards, which all need valid UTF-8, and
// an error message must stay short and on one line whatever the offending input was. Pure
// functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace storepulse::common {

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// `text` made safe to embed in an error message: at most `max_chars` characters of it ("…"
// appended when cut), with quotes, backslashes, control characters and bytes that are not UTF-8
// escaped (\" \\ \xNN), so the result is valid UTF-8 on one line whatever `text` holds.
std::string EscapeForMessage(std::string_view text, size_t max_chars);

// EscapeForMessage(text, max_chars) in double quotes: how messages echo an offending value.
std::string QuoteForMessage(std::string_view text, size_t max_chars = 40);

}  // namespace storepulse::common
