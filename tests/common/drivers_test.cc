// The drivers of a net-sales gap (common/targets/drivers.h), against hand computations: the parts
// add up to the gap to the minor unit.
#include "common/targets/drivers.h"

#include <gtest/gtest.h>

#include <cmath>

namespace storepulse::common {
namespace {

int64_t Sum(const GapDrivers& d) {
  int64_t sum = 0;
  for (const DriverPart& part : d.parts) sum += part.amount;
  return sum;
}

TEST(DriversTest, OneFactorChangingCarriesTheWholeGap) {
  // Half the visitors, same conversion (0.2) and basket (5,000): the whole −500,000 is footfall.
  const GapDrivers d = DecomposeGap({500, 100, 500'000, 0}, {1000, 200, 1'000'000, 0});
  EXPECT_EQ(d.method, "lmdi");
  EXPECT_EQ(d.gap, -500'000);
  ASSERT_EQ(d.parts.size(), 4u);
  EXPECT_EQ(d.parts[0].driver, "footfall");
  EXPECT_EQ(d.parts[0].amount, -500'000);
  EXPECT_DOUBLE_EQ(*d.parts[0].change, -0.5);
  EXPECT_EQ(d.parts[1].driver, "conversion");
  EXPECT_EQ(d.parts[1].amount, 0);
  EXPECT_EQ(d.parts[2].driver, "basket");
  EXPECT_EQ(d.parts[2].amount, 0);
  EXPECT_EQ(d.parts[3].driver, "returns");
  EXPECT_EQ(d.parts[3].amount, 0);
}

TEST(DriversTest, LmdiPartsAddUpToTheGapExactly) {
  // Footfall +10 % (1,000 → 1,100), conversion 0.2 both, basket 5,000 → 4,000, returns 10,000 →
  // 12,000. Gross 1,000,000 → 880,000; gap (880,000 − 12,000) − (1,000,000 − 10,000) = −122,000.
  // L = −120,000 / ln 0.88 = 938,722.014; footfall L ln 1.1 = 89,469.764; basket L ln 0.8 =
  // −209,469.764; returns −2,000. Floors 89,469 + 0 − 209,470 − 2,000 = −122,001: the unit missing
  // goes to the largest remainder, footfall's (.764) → 89,470.
  const GapDrivers d = DecomposeGap({1100, 220, 880'000, 12'000}, {1000, 200, 1'000'000, 10'000});
  EXPECT_EQ(d.gap, -122'000);
  EXPECT_EQ(d.parts[0].amount, 89'470);
  EXPECT_NEAR(*d.parts[0].change, 0.1, 1e-12);
  EXPECT_EQ(d.parts[1].amount, 0);
  EXPECT_NEAR(*d.parts[1].change, 0.0, 1e-12);
  EXPECT_EQ(d.parts[2].amount, -209'470);
  EXPECT_NEAR(*d.parts[2].change, -0.2, 1e-12);
  EXPECT_EQ(d.parts[3].amount, -2'000);
  EXPECT_NEAR(*d.parts[3].change, 0.2, 1e-12);
  EXPECT_EQ(Sum(d), d.gap);
}

TEST(DriversTest, TheWorkedExampleOfKpisMdHoldsToTheCent) {
  // docs/KPIS.md, "Drivers": 1,000 → 920 visitors, 200 → 175 sales, 1,000,000 → 840,000 gross,
  // 10,000 → 12,000 returned. L = −160,000 / ln 0.84 = 917,676.47; footfall L ln 0.92 =
  // −76,517.34, conversion L ln(0.190217 / 0.2) = −46,021.28, basket L ln 0.96 = −37,461.38,
  // returns −2,000. Floors sum to −162,002: the two missing units go to conversion (.72) and
  // footfall (.66).
  const GapDrivers d = DecomposeGap({920, 175, 840'000, 12'000}, {1000, 200, 1'000'000, 10'000});
  EXPECT_EQ(d.gap, -162'000);
  EXPECT_EQ(d.parts[0].amount, -76'517);
  EXPECT_EQ(d.parts[1].amount, -46'021);
  EXPECT_NEAR(*d.parts[1].change, 175.0 / 920 - 0.2, 1e-12);
  EXPECT_EQ(d.parts[2].amount, -37'462);
  EXPECT_NEAR(*d.parts[2].change, -0.04, 1e-12);
  EXPECT_EQ(d.parts[3].amount, -2'000);
  EXPECT_EQ(Sum(d), d.gap);
}

TEST(DriversTest, PartsAddUpForAnyFigures) {
  // Not a hand computation of each part, but of the invariant, over a grid of awkward figures.
  for (double f1 : {1.0, 7.0, 333.0, 1001.0}) {
    for (double t1 : {1.0, 3.0, 97.0}) {
      for (double g1 : {1.0, 999.0, 123'457.0}) {
        const GapDrivers d = DecomposeGap({f1, t1, g1, 17}, {500, 41, 77'777, 5});
        EXPECT_EQ(Sum(d), d.gap) << f1 << " " << t1 << " " << g1;
        EXPECT_EQ(d.gap, std::llround(g1 - 17 - (77'777 - 5)));
      }
    }
  }
}

TEST(DriversTest, WithoutFootfallTheGapSplitsIntoTransactionsAndBasket) {
  // No counter: 100 → 50 transactions at 2,000 each: transactions −100,000, basket 0.
  const GapDrivers d = DecomposeGap({0, 50, 100'000, 0}, {0, 100, 200'000, 0});
  EXPECT_EQ(d.method, "transactions_basket");
  ASSERT_EQ(d.parts.size(), 3u);
  EXPECT_EQ(d.parts[0].driver, "transactions");
  EXPECT_EQ(d.parts[0].amount, -100'000);
  EXPECT_EQ(d.parts[1].amount, 0);
  EXPECT_EQ(Sum(d), -100'000);
}

TEST(DriversTest, NoSalesOnASideIsOneSalesPart) {
  // Closed today: 0 against 300,000 gross with 1,000 returned → sales −300,000, returns +1,000.
  const GapDrivers d = DecomposeGap({0, 0, 0, 0}, {800, 60, 300'000, 1'000});
  EXPECT_EQ(d.method, "sales");
  ASSERT_EQ(d.parts.size(), 2u);
  EXPECT_EQ(d.parts[0].driver, "sales");
  EXPECT_EQ(d.parts[0].amount, -300'000);
  EXPECT_FALSE(d.parts[0].change.has_value());
  EXPECT_EQ(d.parts[1].amount, 1'000);
  EXPECT_DOUBLE_EQ(*d.parts[1].change, -1.0);
  EXPECT_EQ(d.gap, -299'000);
}

TEST(DriversTest, ABaseScaledToATargetHasTheTargetsNetSales) {
  // Last year 1,000 visitors, 200 sales, 1,000,000 gross, 50,000 returned (net 950,000); a target
  // of 1,140,000 scales it by 1.2: 1,200 visitors, 240 sales, 1,200,000 gross, 60,000 returns.
  const DriverFigures scaled = ScaleToNetSales({1000, 200, 1'000'000, 50'000}, 1'140'000);
  EXPECT_DOUBLE_EQ(scaled.footfall, 1200);
  EXPECT_DOUBLE_EQ(scaled.transactions, 240);
  EXPECT_DOUBLE_EQ(scaled.gross_sales, 1'200'000);
  EXPECT_DOUBLE_EQ(scaled.returns_value, 60'000);
  // Conversion and basket are last year's: against this base, only footfall and returns move.
  const GapDrivers d = DecomposeGap({1000, 200, 1'000'000, 60'000}, scaled);
  EXPECT_EQ(d.gap, -200'000);
  EXPECT_EQ(d.parts[0].amount, -200'000);  // footfall −1/6 carries the whole gross gap
  EXPECT_EQ(d.parts[1].amount, 0);
  EXPECT_EQ(d.parts[2].amount, 0);
  EXPECT_EQ(d.parts[3].amount, 0);
  EXPECT_DOUBLE_EQ(ScaleToNetSales({10, 1, 0, 0}, 500).footfall, 10);  // nothing to scale
}

TEST(DriversTest, RoundingGivesTheMissingUnitsToTheLargestRemainders) {
  EXPECT_EQ(RoundParts({0.6, 0.6, -0.2}, 1), (std::vector<int64_t>{1, 0, 0}));
  EXPECT_EQ(RoundParts({1.5, 1.5}, 3), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(RoundParts({-0.5, -0.5}, -1), (std::vector<int64_t>{0, -1}));
}

}  // namespace
}  // namespace storepulse::common
