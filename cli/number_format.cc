#include "cli/number_format.h"

#include <cmath>
#include <cstdio>

namespace storepulse::cli {
namespace {

// Groups the digits of a non-negative integer written in decimal.
std::string GroupDigits(const std::string& digits) {
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// |value| as decimal digits, without overflow for INT64_MIN.
std::string AbsDigits(int64_t value) {
  const uint64_t magnitude =
      value < 0 ? uint64_t{0} - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  return std::to_string(magnitude);
}

}  // namespace

std::string GroupThousands(int64_t value) {
  return (value < 0 ? "-" : "") + GroupDigits(AbsDigits(value));
}

std::string FormatMoney(int64_t minor_units) {
  const uint64_t magnitude = minor_units < 0 ? uint64_t{0} - static_cast<uint64_t>(minor_units)
                                             : static_cast<uint64_t>(minor_units);
  const uint64_t cents = magnitude % 100;
  std::string out = minor_units < 0 ? "-" : "";
  out += GroupDigits(std::to_string(magnitude / 100));
  out += '.';
  out += static_cast<char>('0' + cents / 10);
  out += static_cast<char>('0' + cents % 10);
  return out;
}

std::string FormatMoney(double minor_units) {
  if (!std::isfinite(minor_units)) return "–";
  return FormatMoney(static_cast<int64_t>(std::llround(minor_units)));
}

std::string FormatPercent(double fraction, int decimals) {
  if (!std::isfinite(fraction)) return "–";
  return FormatDecimal(fraction * 100.0, decimals) + "%";
}

std::string FormatDecimal(double value, int decimals) {
  if (!std::isfinite(value)) return "–";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, std::fabs(value));
  std::string text(buffer);
  const size_t dot = text.find('.');
  std::string integer = text.substr(0, dot);
  std::string fraction = dot == std::string::npos ? "" : text.substr(dot);
  const bool negative = value < 0 && text.find_first_not_of("0.") != std::string::npos;
  return (negative ? "-" : "") + GroupDigits(integer) + fraction;
}

}  // namespace storepulse::cli
