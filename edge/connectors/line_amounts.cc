#include "edge/connectors/line_amounts.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace storepulse::edge {
namespace {

constexpr int64_t kQuantityScale = 1'000'000;   // 10^kQuantityDigits
constexpr int64_t kHundredPercent = 1'000'000;  // 100 % in ten-thousandths of a percent
constexpr int64_t kMaxQuantity = 1'000'000'000 * kQuantityScale;
constexpr int64_t kMaxPrice = 1'000'000'000'000'000;

// numerator / denominator rounded half away from zero; both ≥ 0, denominator > 0.
common::StatusOr<int64_t> RoundedQuotient(__int128 numerator, __int128 denominator) {
  __int128 quotient = (2 * numerator + denominator) / (2 * denominator);
  if (quotient > std::numeric_limits<int64_t>::max()) {
    return common::OutOfRange("a line's value is too large");
  }
  return static_cast<int64_t>(quotient);
}

common::Status CheckRange(int64_t quantity, int64_t unit_price) {
  if (quantity < 0 || quantity > kMaxQuantity || unit_price < 0 || unit_price > kMaxPrice) {
    return common::OutOfRange("a line's quantity or unit price is negative or too large");
  }
  return common::OkStatus();
}

}  // namespace

common::StatusOr<int64_t> DiscountedValue(int64_t quantity, int64_t unit_price, int64_t percent) {
  RETURN_IF_ERROR(CheckRange(quantity, unit_price));
  if (percent < 0 || percent > kHundredPercent) {
    return common::OutOfRange("a discount percentage outside 0 … 100");
  }
  // ≤ 10^15 × 10^15 × 10^6 = 10^36 < 2^127.
  __int128 numerator = static_cast<__int128>(quantity) * unit_price * (kHundredPercent - percent);
  return RoundedQuotient(numerator, static_cast<__int128>(kQuantityScale) * kHundredPercent);
}

common::StatusOr<int64_t> LineValue(int64_t quantity, int64_t unit_price) {
  RETURN_IF_ERROR(CheckRange(quantity, unit_price));
  return RoundedQuotient(static_cast<__int128>(quantity) * unit_price, kQuantityScale);
}

std::vector<int64_t> SpreadInProportion(int64_t amount, const std::vector<int64_t>& weights) {
  const __int128 total = std::accumulate(weights.begin(), weights.end(), __int128{0});
  std::vector<int64_t> shares(weights.size(), 0);
  std::vector<__int128> remainders(weights.size(), 0);
  int64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    __int128 exact = static_cast<__int128>(amount) * weights[i];
    shares[i] = static_cast<int64_t>(exact / total);
    remainders[i] = exact % total;
    given += shares[i];
  }
  std::vector<size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  for (size_t k = 0; given < amount && k < order.size(); ++k, ++given) ++shares[order[k]];
  return shares;
}

}  // namespace storepulse::edge
