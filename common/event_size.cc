#include "common/event_size.h"

#include <charconv>
#include <string>

#include "common/event_errors.h"

namespace storepulse::common {

namespace {
// The bytes a JSON string's escape adds to each byte: \" \\ \b \f \n \r \t add 1, the other
// control characters (\u00XX) add 5, everything else (UTF-8 included) nothing.
constexpr std::array<uint8_t, 256> kEscapeExtra = [] {
  std::array<uint8_t, 256> extra{};
  for (int c = 0; c < 0x20; ++c) extra[c] = 5;
  for (const char c : {'"', '\\', '\b', '\f', '\n', '\r', '\t'}) {
    extra[static_cast<unsigned char>(c)] = 1;
  }
  return extra;
}();
}  // namespace

size_t EventSizeMeter::JsonStringBytes(std::string_view utf8) {
  size_t bytes = utf8.size() + 2;
  for (const char c : utf8) bytes += kEscapeExtra[static_cast<unsigned char>(c)];
  return bytes;
}

size_t EventSizeMeter::ShortestFloatBytes(double value) {
  char buffer[32];
  return static_cast<size_t>(std::to_chars(buffer, buffer + sizeof buffer, value).ptr - buffer);
}

Status EventSizeMeter::CheckLimits() const {
  if (levels_ > kMaxEventDepth) {
    return InvalidArgument("event nests deeper than " + std::to_string(kMaxEventDepth) + " levels");
  }
  if (bytes_ > kMaxEventBytes) return EventTooLarge(bytes_);
  return OkStatus();
}

}  // namespace storepulse::common
