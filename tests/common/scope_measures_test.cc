// The region and network day measures (common/store/scope_measures.h) and the KPI engine reading
// them in place of their stores' rows (common/kpi/kpi_query.cc, MeasureCover): the same answers,
// from a few rows instead of a few per store, and never where they would not hold exactly the
// stores asked for.
#include "common/store/scope_measures.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <limits>

#include "tests/common/customer_fixture.h"

namespace storepulse::common {
namespace {

class ScopeMeasuresTest : public CustomerFixture {
 protected:
  int64_t Scalar(const std::string& sql) { return db_.execAndGet(sql).getInt64(); }

  // What every store's own day rows of `day` hold in gross sales (the stores of `region`, or all).
  int64_t StoresGross(int64_t day, const std::string& region = "") {
    std::string in;
    for (const TestStore& s : stores_) {
      if (region.empty() || s.region == region) in += (in.empty() ? "'" : ",'") + s.id + "'";
    }
    return Scalar("SELECT COALESCE(SUM(gross_sales), 0) FROM measures_day WHERE day = " +
                  std::to_string(day) + " AND store IN (" + in + ")");
  }

  int64_t ScopeGross(const std::string& scope, int64_t day) {
    return Scalar("SELECT COALESCE(SUM(gross_sales), 0) FROM scope_measures_day WHERE scope = '" +
                  scope + "' AND day = " + std::to_string(day));
  }

  static int64_t Day(const char* date) { return *TimeZone::ParseLocalDate(date); }
};

TEST_F(ScopeMeasuresTest, ARegionsDayIsItsStoresOwnDaysSummed) {
  Buy(0, "c1", "2026-11-01T10:00:00Z", 1000);  // A, north
  Buy(1, "c2", "2026-11-01T22:30:00Z", 200);   // B, north: 23:30 in Paris, still the 1st
  Buy(2, "c3", "2026-11-01T19:00:00Z", 30);    // C, asia: 00:30 on the 2nd in Kolkata
  Buy(0, "c4", "2026-11-02T10:00:00Z", 4);
  EXPECT_EQ(ScopeGross("region:north", Day("2026-11-01")), 1200);
  EXPECT_EQ(ScopeGross("region:north", Day("2026-11-02")), 4);
  EXPECT_EQ(ScopeGross("region:asia", Day("2026-11-02")), 30);
  EXPECT_EQ(ScopeGross("network", Day("2026-11-01")), 1200);
  EXPECT_EQ(ScopeGross("network", Day("2026-11-02")), 34);
  for (const char* date : {"2026-11-01", "2026-11-02"}) {
    EXPECT_EQ(ScopeGross("region:north", Day(date)), StoresGross(Day(date), "north"));
    EXPECT_EQ(ScopeGross("network", Day(date)), StoresGross(Day(date)));
  }
  // Every store is recorded in its scopes on the days it sold.
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM customer_sketch_member WHERE scope = 'network'"), 3);
}

// The network's and a region's answers come from the scope rows (proven by making the stores' own
// rows disagree), and equal the stores' rows summed.
TEST_F(ScopeMeasuresTest, ANetworkPeriodIsReadFromTheScopeRowsAndAnswersAsItsStores) {
  Buy(0, "c1", "2026-11-01T10:00:00Z", 1000);
  Buy(1, "c2", "2026-11-02T10:00:00Z", 200);
  Buy(2, "c3", "2026-11-01T10:00:00Z", 30);
  EXPECT_EQ(Query("network", GroupBy::kTotal)[0]["gross_sales"], 1230);
  const nlohmann::json by_day = Query("network", GroupBy::kDay);
  ASSERT_EQ(by_day.size(), 2u);
  EXPECT_EQ(by_day[0]["gross_sales"], 1030);
  EXPECT_EQ(by_day[1]["gross_sales"], 200);
  const nlohmann::json regions = Query("network", GroupBy::kRegion);
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_EQ(regions[0]["key"], "asia");
  EXPECT_EQ(regions[0]["gross_sales"], 30);
  EXPECT_EQ(regions[1]["gross_sales"], 1200);

  db_.exec("UPDATE measures_day SET gross_sales = gross_sales + 5");  // 4 store-days
  EXPECT_EQ(Query("network", GroupBy::kTotal)[0]["gross_sales"], 1230) << "read store by store";
  EXPECT_EQ(Query("", GroupBy::kTotal, "north")[0]["gross_sales"], 1200);
  // Groupings that keep stores apart, and periods not made of whole days, read the stores: A's
  // day row; from UTC midnights, only B's sale falls on a whole local day (the others are read
  // from their 15-minute rows, unchanged).
  EXPECT_EQ(Query("network", GroupBy::kStore)[0]["gross_sales"], 1005);
  EXPECT_EQ(Query("network", GroupBy::kTotal, "", "2026-11-01T00:00:00Z",
                  "2026-11-03T00:00:00Z")[0]["gross_sales"],
            1235);
}

// A store the stores file now puts in another region: the old region's rows hold it, the new
// one's do not, so both are read store by store — and the answers are what the stores hold.
TEST_F(ScopeMeasuresTest, AStoreMovedToAnotherRegionIsReadStoreByStore) {
  Buy(0, "c1", "2026-11-01T10:00:00Z", 1000);
  Buy(1, "c2", "2026-11-01T10:00:00Z", 200);
  Buy(2, "c3", "2026-11-01T10:00:00Z", 30);
  stores_[1].region = "asia";  // B moves after its sale was folded under north
  db_.exec("UPDATE measures_day SET gross_sales = gross_sales + 5");
  const nlohmann::json regions = Query("network", GroupBy::kRegion);
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_EQ(regions[0]["key"], "asia");
  EXPECT_EQ(regions[0]["gross_sales"], 240);  // B and C, from their own (changed) rows
  EXPECT_EQ(regions[1]["gross_sales"], 1005);
  // The network's members are still exactly the three stores: its rows stand for them.
  EXPECT_EQ(Query("network", GroupBy::kTotal)[0]["gross_sales"], 1230);
}

// Each store's total fits, the network's does not: the store's day is still folded (the scope's
// row becomes NULL), each store answers alone, and the network refuses with a reason.
TEST_F(ScopeMeasuresTest, AScopeSumBeyondInt64IsRefusedWhileEachStoreIsExact) {
  Buy(0, "c1", "2026-11-01T10:00:00Z", 1000);
  const int64_t near_top = std::numeric_limits<int64_t>::max() - 500;
  db_.exec("UPDATE scope_measures_day SET gross_sales = " + std::to_string(near_top) +
           " WHERE scope = 'network'");  // as if the network's other stores held that much
  Buy(1, "c2", "2026-11-01T11:00:00Z", 1000);
  EXPECT_EQ(Scalar("SELECT gross_sales FROM measures_day WHERE store = 'B'"), 1000);
  EXPECT_EQ(db_.execAndGet("SELECT typeof(gross_sales) FROM scope_measures_day WHERE scope = "
                           "'network' AND channel = 0")
                .getString(),
            "null");
  const nlohmann::json network = Answer("network", GroupBy::kTotal, "2026-11-01", "2026-11-03");
  ASSERT_TRUE(network.contains("error")) << network.dump();
  EXPECT_EQ(network["error"],
            "the network's gross_sales of 2026-11-01 would exceed the 64-bit integer range: the "
            "KPIs cannot be summed exactly; ask for a narrower scope (by=store sums each store "
            "alone)");
  const nlohmann::json stores = Query("network", GroupBy::kStore);
  EXPECT_EQ(stores[0]["gross_sales"], 1000);
  EXPECT_EQ(stores[1]["gross_sales"], 1000);
  EXPECT_EQ(Query("", GroupBy::kTotal, "north")[0]["gross_sales"], 2000);
}

}  // namespace
}  // namespace storepulse::common
