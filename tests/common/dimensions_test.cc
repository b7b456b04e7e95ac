// Employee and SKU breakdowns: the fold, the tables and the query engine, on a real SQLite file.
#include "common/kpi/dimensions.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "common/kpi/kpi_json.h"
#include "common/kpi/kpi_query.h"
#include "common/store/measure_table.h"
#include "common/time_util.h"
#include "tests/common/folded_store.h"

namespace storepulse::common {
namespace {

Event SaleBy(const std::string& id, const std::string& employee, std::vector<Line> lines,
             const char* ts = "2026-11-20T10:00:00Z") {
  Event e;
  e.id = id;
  e.type = EventType::kSale;
  e.ts_ms = *ParseRfc3339(ts);
  e.employee = employee;
  e.lines = std::move(lines);
  return e;
}

class DimensionsTest : public FoldedStoreTest {
 protected:
  nlohmann::json Query(GroupBy by, const char* from = "2026-11-20", const char* to = "2026-11-21") {
    return FoldedStoreTest::Query(by, from, to);
  }
};

TEST_F(DimensionsTest, EachSaleIsCreditedOnceToItsEmployeeAndTheirTotalsAreTheStores) {
  Store({SaleBy("a", "ann", {{"X", 2, 500, 0}}), SaleBy("b", "bob", {{"X", 1, 500, 100}}),
         SaleBy("c", "ann", {{"Y", 1, 1000, 0}, {"X", 1, 500, 0}}), SaleBy("d", "", {{"Y", 1, 50, 0}})});
  nlohmann::json rows = Query(GroupBy::kEmployee)["rows"];
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["key"], "(unattributed)");
  EXPECT_EQ(rows[0]["gross_sales"], 50);
  EXPECT_EQ(rows[1]["key"], "ann");
  EXPECT_EQ(rows[1]["gross_sales"], 1000 + 1000 + 500);  // 2×500 + (1000 + 500)
  EXPECT_EQ(rows[1]["transactions"], 2);
  EXPECT_EQ(rows[2]["key"], "bob");
  EXPECT_EQ(rows[2]["gross_sales"], 400);
  int64_t sum = 0;
  for (const auto& row : rows) sum += row["gross_sales"].get<int64_t>();
  EXPECT_EQ(sum, Query(GroupBy::kTotal)["rows"][0]["gross_sales"]);
}

TEST_F(DimensionsTest, SkuRowsCountLinesAndTransactionsOncePerSkuAndRankTheTopSkus) {
  Store({SaleBy("a", "ann", {{"X", 2, 500, 0}, {"X", 1, 500, 0}}),  // X twice in one basket
         SaleBy("b", "ann", {{"Y", 5, 100, 0}}), SaleBy("c", "ann", {{"Z", 1, 3000, 0}})});
  nlohmann::json answer = Query(GroupBy::kSku);
  nlohmann::json rows = answer["rows"];
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["key"], "X");
  EXPECT_EQ(rows[0]["units_sold"], 3);
  EXPECT_EQ(rows[0]["gross_sales"], 1500);
  EXPECT_EQ(rows[0]["transactions"], 1);
  EXPECT_EQ(answer["top_skus"]["by_units"][0]["sku"], "Y");
  EXPECT_EQ(answer["top_skus"]["by_units"][0]["units_sold"], 5);
  EXPECT_EQ(answer["top_skus"]["by_value"][0]["sku"], "Z");
  EXPECT_EQ(answer["top_skus"]["by_value"][0]["net_sales"], 3000);
}

TEST_F(DimensionsTest, ReturnsLowerTheSkuAndEmployeeNetSales) {
  Event ret;
  ret.id = "r";
  ret.type = EventType::kReturn;
  ret.ts_ms = *ParseRfc3339("2026-11-20T15:00:00Z");
  ret.employee = "bob";
  ret.lines = {{"X", 1, 500, 0}};
  Store({SaleBy("a", "ann", {{"X", 2, 500, 0}}), ret});
  nlohmann::json skus = Query(GroupBy::kSku)["rows"];
  EXPECT_EQ(skus[0]["net_sales"], 500);
  EXPECT_EQ(skus[0]["units_returned"], 1);
  nlohmann::json employees = Query(GroupBy::kEmployee)["rows"];
  EXPECT_EQ(employees[1]["key"], "bob");
  EXPECT_EQ(employees[1]["returns_value"], 500);
}

TEST_F(DimensionsTest, EmployeesReadPartialDaysFromBucketsAndSkusCountTheWholeDaysTouched) {
  Store({SaleBy("a", "ann", {{"X", 1, 100, 0}}, "2026-11-20T08:00:00Z"),
         SaleBy("b", "ann", {{"X", 1, 200, 0}}, "2026-11-20T12:00:00Z"),
         SaleBy("c", "ann", {{"X", 1, 400, 0}}, "2026-11-21T12:00:00Z"),
         SaleBy("d", "ann", {{"X", 1, 800, 0}}, "2026-11-22T12:00:00Z")});
  auto gross = [&](GroupBy by, const char* from, const char* to) {
    return Query(by, from, to)["rows"][0]["gross_sales"];
  };
  EXPECT_EQ(gross(GroupBy::kEmployee, "2026-11-20T10:00:00Z", "2026-11-22"), 600);
  EXPECT_EQ(gross(GroupBy::kEmployee, "2026-11-20", "2026-11-22"), 700);
  EXPECT_EQ(gross(GroupBy::kEmployee, "2026-11-20T10:00:00Z", "2026-11-22T00:30:00Z"), 600);
  // Paris days: 10:00Z lies inside 2026-11-20, 00:30Z inside 2026-11-22 (01:30 local).
  EXPECT_EQ(gross(GroupBy::kSku, "2026-11-20T10:00:00Z", "2026-11-22"), 700);
  EXPECT_EQ(gross(GroupBy::kSku, "2026-11-20", "2026-11-22"), 700);
  EXPECT_EQ(gross(GroupBy::kSku, "2026-11-20T10:00:00Z", "2026-11-22T00:30:00Z"), 1500);
  EXPECT_EQ(gross(GroupBy::kSku, "2026-11-21", "2026-11-21T13:00:00Z"), 400);
}

// Central's PostgreSQL keeps a column for each of kSkuMeasures alone (central/pg_reporting.h):
// a sale or return with a customer, on the web, from the web, fills no other measure of a SKU.
TEST(SkuMeasuresTest, SkuRowsHoldOnlyTheSkuMeasures) {
  Event sale = SaleBy("s", "ann", {{"X", 2, 500, 50}, {"Y", 1, 300, 0}, {"X", 1, 500, 0}});
  sale.channel = Channel::kWeb;
  sale.customer = "c1";
  Event ret = sale;
  ret.id = "r";
  ret.type = EventType::kReturn;
  ret.original_channel = Channel::kWeb;
  DimensionDeltas deltas;
  ASSERT_TRUE(FoldEventDimensions(sale, &deltas).ok());
  ASSERT_TRUE(FoldEventDimensions(ret, &deltas).ok());
  int skus = 0;
  for (const auto& [key, m] : deltas) {
    if (key.dimension != Dimension::kSku) continue;
    ++skus;
    Measures kept;
    for (Measure measure : kSkuMeasures) kept[measure] = m[measure];
    EXPECT_EQ(kept, m) << key.key;
  }
  EXPECT_EQ(skus, 2);
}

}  // namespace
}  // namespace storepulse::common
