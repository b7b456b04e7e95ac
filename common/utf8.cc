#include "common/utf8.h"

#include <cstdint>

namespace storepulse::common {

namespace {

// Length of the well-formed UTF-8 sequence that starts at text[i], or 0 when the bytes there are
// not one (RFC 3629, table 3-7 of the Unicode standard).
size_t SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t length = 0;
  uint8_t lo = 0x80;
  uint8_t hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

void AppendEscapedByte(uint8_t b, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->append("\\x");
  out->push_back(kHex[b >> 4]);
  out->push_back(kHex[b & 0xF]);
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    if (static_cast<uint8_t>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t length = SequenceLength(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string EscapeForMessage(std::string_view text, size_t max_chars) {
  std::string out;
  size_t i = 0;
  size_t chars = 0;
  while (i < text.size() && chars < max_chars) {
    const uint8_t b = static_cast<uint8_t>(text[i]);
    const size_t length = SequenceLength(text, i);
    if (b == '"' || b == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(b));
    } else if (length == 0 || b < 0x20 || b == 0x7F) {
      AppendEscapedByte(b, &out);
    } else {
      out.append(text.substr(i, length));
    }
    i += length == 0 ? 1 : length;
    ++chars;
  }
  if (i < text.size()) out.append("\xE2\x80\xA6");  // "…"
  return out;
}

std::string QuoteForMessage(std::string_view text, size_t max_chars) {
  return "\"" + EscapeForMessage(text, max_chars) + "\"";
}

}  // namespace storepulse::common
