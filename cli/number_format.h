// Numbers as a store manager reads them: thousands separators, money from integer minor units,
// percentages from fractions. Pure functions; thread-safe. Money assumes a currency with two
// minor digits (cents), as SPEC §2's "minor units" does for the network's one currency.
#pragma once

#include <cstdint>
#include <string>

namespace storepulse::cli {

// 1234567 → "1,234,567"; -1234 → "-1,234".
std::string GroupThousands(int64_t value);
// Minor units → currency units with 2 decimals: 123456 → "1,234.56", -5 → "-0.05".
std::string FormatMoney(int64_t minor_units);
// The same for a computed amount (e.g. an average basket of 1234.5 minor units → "12.35"),
// rounded half away from zero to the minor unit.
std::string FormatMoney(double minor_units);
// A fraction as a percentage: 0.234 → "23.4%" with `decimals` = 1.
std::string FormatPercent(double fraction, int decimals = 1);
// A plain number with `decimals` decimals and thousands separators: 12345.678 → "12,345.68".
std::string FormatDecimal(double value, int decimals);

}  // namespace storepulse::cli
