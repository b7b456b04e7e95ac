// Exact arithmetic on a till's line amounts, for sources that do not send them in minor units:
// a quantity with decimals times a unit price less a percentage, rounded once to the minor unit;
// and an amount spread over lines in proportion to their values (an order-wide discount).
// Integers throughout, never floating point. Stateless.
#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"

namespace storepulse::edge {

// Scales of the arguments below.
inline constexpr int kQuantityDigits = 6;  // a quantity in millionths: 1.5 → 1'500'000
inline constexpr int kPercentDigits = 4;   // a percentage in ten-thousandths: 15 → 150'000

// qty × unit_price × (100 − percent) / 100, rounded half away from zero to the minor unit:
// (3, 9.99, 15 %) → 29.97 × 0.85 = 25.4745 → 2547 minor units. `quantity` (millionths) and
// `unit_price` (minor units) ≥ 0, `percent` (ten-thousandths) in 0 … 100 %. OutOfRange beyond
// 10^9 units or 10^15 minor units, or for a value beyond 64 bits.
common::StatusOr<int64_t> DiscountedValue(int64_t quantity, int64_t unit_price, int64_t percent);

// qty × unit_price rounded half away from zero: the undiscounted value of a line.
common::StatusOr<int64_t> LineValue(int64_t quantity, int64_t unit_price);

// `amount` split over lines in proportion to `weights` (each ≥ 0, their sum > 0): each share is
// rounded down, then the units left go one each to the lines with the largest remainders (the
// earlier line on a tie), so the shares sum to `amount` exactly and each stays within one unit of
// its exact proportion. REQUIRES: 0 ≤ amount ≤ sum of weights.
std::vector<int64_t> SpreadInProportion(int64_t amount, const std::vector<int64_t>& weights);

}  // namespace storepulse::edge
