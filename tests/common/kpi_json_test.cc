// The KPI JSON made from typed answers (common/kpi/kpi_json.h): the SPEC §6 shape, number types,
// nulls, the "approximate" marker, best sellers and comparisons, written out by hand.
#include "common/kpi/kpi_json.h"

#include <gtest/gtest.h>

#include <string>

namespace storepulse::common {
namespace {

using nlohmann::json;

TEST(KpiJsonTest, ValuesAreNullIntegersOrDoubles) {
  EXPECT_TRUE(KpiValueJson(KpiValue()).is_null());
  EXPECT_TRUE(KpiValueJson(KpiValue::Integer(-7)).is_number_integer());
  EXPECT_EQ(KpiValueJson(KpiValue::Integer(-7)).dump(), "-7");
  EXPECT_TRUE(KpiValueJson(KpiValue::Real(2)).is_number_float());
  EXPECT_EQ(KpiValueJson(KpiValue::Real(2)).dump(), "2.0");
  EXPECT_EQ(KpiValueJson(KpiValue::Real(0.25)).dump(), "0.25");
}

TEST(KpiJsonTest, ARowHasItsKeyAndEveryCataloguedKpi) {
  KpiRow row{"2026-11-22", {}, {}};
  row[Kpi::kNetSales] = KpiValue::Integer(123456);
  row[Kpi::kConversionRate] = KpiValue::Real(0.25);
  const json object = KpiRowJson(row);
  EXPECT_EQ(object.size(), kKpiCount + 1);
  EXPECT_EQ(object["key"], "2026-11-22");
  EXPECT_EQ(object["net_sales"].dump(), "123456");
  EXPECT_EQ(object["conversion_rate"].dump(), "0.25");
  EXPECT_TRUE(object["gross_sales"].is_null());
  EXPECT_FALSE(object.contains("approximate"));  // every figure exact: as before sketches
}

TEST(KpiJsonTest, EstimatedFiguresAreNamedInCatalogueOrder) {
  KpiRow row{"total", {}, {}};
  row.approximate.set(static_cast<size_t>(Kpi::kClv));
  row.approximate.set(static_cast<size_t>(Kpi::kCustomers));
  EXPECT_EQ(KpiRowJson(row)["approximate"], json({"customers", "clv"}));
}

TEST(KpiJsonTest, AnAnswerIsTheSpecSixObject) {
  KpiAnswer answer;
  answer.to = "2026-11-23";  // `from` unknown: the stores' local todays differ
  answer.scope = "store:S1";
  answer.by = GroupBy::kSku;
  answer.top_skus = TopSkus{{{"A", 3}}, {{"B", -5}}};
  EXPECT_EQ(KpiAnswerJson(answer).dump(),
            R"({"by":"sku","catalogue":null,"from":null,"rows":[],"scope":"store:S1",)"
            R"("to":"2026-11-23","top_skus":{)"
            R"("by_units":[{"category":null,"name":null,"sku":"A","units_sold":3}],)"
            R"("by_value":[{"category":null,"name":null,"net_sales":-5,"sku":"B"}]}})");
}

TEST(KpiJsonTest, AComparedRowCarriesItsPreviousRowDeltaAndChange) {
  KpiAnswer answer;
  answer.from = "2026-11-22";
  answer.to = "2026-11-23";
  answer.scope = "network";
  KpiRow row{"total", {}, {}};
  row[Kpi::kGrossSales] = KpiValue::Integer(300);
  answer.rows.push_back(row);
  RowComparison compared{{"total", {}, {}}, {}, {}};
  compared.previous[Kpi::kGrossSales] = KpiValue::Integer(200);
  compared.delta[static_cast<size_t>(Kpi::kGrossSales)] = KpiValue::Integer(100);
  compared.change[static_cast<size_t>(Kpi::kGrossSales)] = KpiValue::Real(0.5);
  answer.compare =
      Comparison{CompareWith::kPreviousWeek, 7, "2026-11-15", "2026-11-16", {compared}};
  const json object = KpiAnswerJson(answer);
  EXPECT_EQ(object["compare"].dump(),
            R"({"days":7,"from":"2026-11-15","to":"2026-11-16","with":"previous_week"})");
  const json& first = object["rows"][0];
  EXPECT_EQ(first["gross_sales"], 300);
  EXPECT_EQ(first["previous"]["gross_sales"], 200);
  EXPECT_EQ(first["previous"]["key"], "total");
  EXPECT_EQ(first["delta"]["gross_sales"].dump(), "100");
  EXPECT_EQ(first["change"]["gross_sales"].dump(), "0.5");
  EXPECT_EQ(first["delta"].size(), kKpiCount);  // every KPI, null where there is nothing
  EXPECT_TRUE(first["delta"]["aov"].is_null());
}

}  // namespace
}  // namespace storepulse::common
