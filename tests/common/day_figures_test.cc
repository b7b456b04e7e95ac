#include "common/kpi/day_figures.h"

#include <gtest/gtest.h>

#include "tests/common/event_samples.h"

namespace storepulse::common {
namespace {

// The digests below are `printf 'a\0b\0' | sha256sum` and `printf '' | sha256sum`.
TEST(DayFiguresTest, TheIdsHashIsSha256OverTheSortedIdsEachEndedByNul) {
  EXPECT_EQ(DayIdsHash({"b", "a"}),
            "8fb20ef63ced4145fc2e983ffe597d1dcff39154c3bf21f0fa9dde6a0c50fdc9");
  EXPECT_EQ(DayIdsHash({"a", "b"}), DayIdsHash({"b", "a"}));
  EXPECT_EQ(DayIdsHash({}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // Without the separator "ab" + "c" and "a" + "bc" would digest alike.
  EXPECT_NE(DayIdsHash({"ab", "c"}), DayIdsHash({"a", "bc"}));
}

// Sale: lines 2 × 12.50 − 1.00 and 1 × 9.99 = 33.99, click & collect, with a customer. Return:
// 1 × 12.50 of a web order, with a customer. Footfall: 42 in, 37 out (event_samples.h).
TEST(DayFiguresTest, TotalsAreTheBaseMeasuresSummedOverTheDayInAnyOrder) {
  DayFiguresBuilder forward;
  ASSERT_TRUE(forward.Add(testing::SampleSale()).ok());
  ASSERT_TRUE(forward.Add(testing::SampleReturn()).ok());
  ASSERT_TRUE(forward.Add(testing::SampleFootfall()).ok());
  DayFigures figures = forward.Finish();
  EXPECT_EQ(figures.events, 3);
  std::map<std::string, int64_t> expected = {{"gross_sales", 3399},
                                             {"transactions", 1},
                                             {"units_sold", 3},
                                             {"identified_transactions", 1},
                                             {"identified_sales", 3399},
                                             {"returns_value", 1250},
                                             {"returns", 1},
                                             {"units_returned", 1},
                                             {"web_returns", 1},
                                             {"web_returns_value", 1250},
                                             {"identified_returns_value", 1250},
                                             {"footfall_in", 42},
                                             {"footfall_out", 37}};
  EXPECT_EQ(figures.totals, expected);
  EXPECT_EQ(figures.ids_hash, DayIdsHash({"sale-1", "ret-1", "ff-1"}));

  DayFiguresBuilder backward;
  ASSERT_TRUE(backward.Add(testing::SampleFootfall()).ok());
  ASSERT_TRUE(backward.Add(testing::SampleReturn()).ok());
  ASSERT_TRUE(backward.Add(testing::SampleSale()).ok());
  EXPECT_EQ(backward.Finish(), figures);
}

TEST(DayFiguresTest, ADayWithoutEventsHasNoTotalsAndTheEmptyDigest) {
  DayFigures none = DayFiguresBuilder().Finish();
  EXPECT_EQ(none.events, 0);
  EXPECT_TRUE(none.totals.empty());
  EXPECT_EQ(none.ids_hash, DayIdsHash({}));
}

TEST(DayFiguresTest, TheDifferencesNameTheCountEachTotalAndTheHash) {
  DayFigures edge{3, {{"gross_sales", 3399}, {"transactions", 1}}, DayIdsHash({"a", "b", "c"})};
  EXPECT_TRUE(DescribeDayDifferences(edge, edge).empty());
  DayFigures central{
      2, {{"gross_sales", 3000}, {"transactions", 1}, {"returns", 1}}, DayIdsHash({"a", "b"})};
  EXPECT_EQ(
      DescribeDayDifferences(edge, central),
      (std::vector<std::string>{"events: edge 3, central 2", "gross_sales: edge 3399, central 3000",
                                "returns: edge 0, central 1", "ids hash"}));
  // Same count and totals, other ids (one event swapped for another of the same value).
  DayFigures swapped = edge;
  swapped.ids_hash = DayIdsHash({"a", "b", "d"});
  EXPECT_EQ(DescribeDayDifferences(edge, swapped), (std::vector<std::string>{"ids hash"}));
}

}  // namespace
}  // namespace storepulse::common
