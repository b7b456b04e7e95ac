// Exact line arithmetic: percentage discounts rounded once, half away from zero; amounts spread
// over lines so that the shares sum exactly.
#include "edge/connectors/line_amounts.h"

#include <gtest/gtest.h>

#include <numeric>

namespace storepulse::edge {
namespace {

constexpr int64_t kUnits = 1'000'000;  // a quantity of 1
constexpr int64_t kPercent = 10'000;   // 1 %

TEST(LineAmountsTest, PercentageDiscountRoundsOnceHalfAwayFromZero) {
  // 3 × 9.99 = 29.97, less 15 % = 25.4745 → 25.47.
  EXPECT_EQ(*DiscountedValue(3 * kUnits, 999, 15 * kPercent), 2547);
  // 2.50 less 15 % = 2.125: exactly half a cent, rounded away from zero → 2.13 (not 2.12).
  EXPECT_EQ(*DiscountedValue(1 * kUnits, 250, 15 * kPercent), 213);
  // 9.99 less 15 % = 8.4915 → 8.49.
  EXPECT_EQ(*DiscountedValue(1 * kUnits, 999, 15 * kPercent), 849);
  EXPECT_EQ(*DiscountedValue(2 * kUnits, 10, 0), 20);
  EXPECT_EQ(*DiscountedValue(5 * kUnits, 1999, 100 * kPercent), 0);
  // 12.5 % (a decimal percentage) of 1 × 0.99: 0.86625 → 0.87.
  EXPECT_EQ(*DiscountedValue(1 * kUnits, 99, 125'000), 87);
  // 0.535 kg at 12.99: 6.94965 → 6.95.
  EXPECT_EQ(*LineValue(535'000, 1299), 695);
  EXPECT_EQ(*DiscountedValue(535'000, 1299, 0), 695);
}

TEST(LineAmountsTest, RefusesWhatCouldOverflowOrIsNoPercentage) {
  EXPECT_EQ(DiscountedValue(1 * kUnits, 999, 101 * kPercent).status().code(),
            common::StatusCode::kOutOfRange);
  EXPECT_FALSE(DiscountedValue(1 * kUnits, 999, -1).ok());
  EXPECT_FALSE(DiscountedValue(-kUnits, 999, 0).ok());
  EXPECT_FALSE(DiscountedValue(2'000'000'000 * kUnits, 999, 0).ok());
  EXPECT_FALSE(LineValue(kUnits, 2'000'000'000'000'000'000).ok());
  // The largest arguments do not overflow on the way; a value beyond 64 bits is refused.
  EXPECT_EQ(LineValue(1'000'000'000 * kUnits, 1'000'000'000'000'000).status().code(),
            common::StatusCode::kOutOfRange);
  EXPECT_EQ(*DiscountedValue(1'000'000'000 * kUnits, 1'000'000'000, 50 * kPercent),
            500'000'000'000'000'000);
}

TEST(LineAmountsTest, SpreadSharesSumExactlyAndFollowTheWeights) {
  // 5.00 off lines worth 45.00 and 6.95: 433.1… and 66.89…; the unit left goes to the larger
  // remainder.
  EXPECT_EQ(SpreadInProportion(500, {4500, 695}), (std::vector<int64_t>{433, 67}));
  // Three equal lines, 1.00: 33.33… each; the unit left to the first on a tie.
  EXPECT_EQ(SpreadInProportion(100, {10, 10, 10}), (std::vector<int64_t>{34, 33, 33}));
  EXPECT_EQ(SpreadInProportion(0, {10, 20}), (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(SpreadInProportion(30, {10, 0, 20}), (std::vector<int64_t>{10, 0, 20}));
  std::vector<int64_t> weights = {1, 999'999, 3, 7, 123'456};
  for (int64_t amount : {1, 17, 1000, 124'000, 1'123'466}) {
    std::vector<int64_t> shares = SpreadInProportion(amount, weights);
    EXPECT_EQ(std::accumulate(shares.begin(), shares.end(), int64_t{0}), amount);
    for (size_t i = 0; i < shares.size(); ++i) EXPECT_LE(shares[i], weights[i]);
  }
}

}  // namespace
}  // namespace storepulse::edge
