#include "cli/kpi_table.h"

#include <gtest/gtest.h>

namespace storepulse::cli {
namespace {

using nlohmann::json;

json DayAnswer() {
  return json::parse(R"({"from":"2026-11-22","to":"2026-11-24","scope":"store:S1","by":"day",
    "rows":[
      {"key":"2026-11-22","gross_sales":123456,"net_sales":120000,"transactions":100,
       "aov":1234.56,"upt":2.5,"footfall":400,"conversion_rate":0.25,"return_rate":0.028},
      {"key":"2026-11-23","gross_sales":0,"net_sales":0,"transactions":0,"aov":null,
       "upt":null,"footfall":0,"conversion_rate":null,"return_rate":null}]})");
}

// Hours with labour add its three columns after the main ones; without labour they stay away.
TEST(KpiTableTest, LabourColumnsJoinWhenARowHasLabour) {
  json answer = json::parse(R"({"from":"2026-11-22","to":"2026-11-23","scope":"store:S1",
    "by":"hour","rows":[
      {"key":"2026-11-22T10:00:00+01:00","gross_sales":123456,"net_sales":120000,
       "transactions":10,"aov":12345.6,"upt":2.5,"footfall":40,"conversion_rate":0.25,
       "return_rate":0.028,"labour_hours":7.5,"sales_per_labour_hour":16000.0,
       "star":5.333333},
      {"key":"2026-11-22T11:00:00+01:00","gross_sales":0,"net_sales":0,"transactions":0,
       "aov":null,"upt":null,"footfall":3,"conversion_rate":0,"return_rate":null,
       "labour_hours":0.0,"sales_per_labour_hour":null,"star":null}]})");
  auto text = RenderKpiAnswer(answer, KpiView{{}, ""});
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_NE(text->find("Return rate  Labour h  Sales/labour h  STAR\n"), std::string::npos)
      << *text;
  EXPECT_NE(text->find("2.8%       7.5          160.00  5.33\n"), std::string::npos) << *text;
  EXPECT_NE(text->find("–       0.0               –     –\n"), std::string::npos) << *text;
  answer["rows"][0]["labour_hours"] = 0.0;
  text = RenderKpiAnswer(answer, KpiView{{}, ""});
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->find("Labour"), std::string::npos) << *text;
}

TEST(KpiTableTest, EmployeeRowsWithLabourShowTheirHoursAndSalesPerHour) {
  json answer = json::parse(R"({"from":"2026-11-22","to":"2026-11-23","scope":"store:S1",
    "by":"employee","rows":[
      {"key":"ann","gross_sales":30000,"net_sales":30000,"transactions":2,"aov":15000.0,
       "upt":1.0,"return_rate":0.0,"labour_hours":2.0,"sales_per_labour_hour":15000.0,
       "star":0.0}]})");
  auto text = RenderKpiAnswer(answer, KpiView{{}, ""});
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_NE(text->find("Return rate  Labour h  Sales/labour h\n"), std::string::npos) << *text;
  EXPECT_NE(text->find("0.0%       2.0          150.00\n"), std::string::npos) << *text;
  EXPECT_EQ(text->find("STAR"), std::string::npos) << *text;
}

TEST(KpiTableTest, HeadingNamesScopePeriodAndZone) {
  json answer = {{"from", "2026-11-22"}, {"to", "2026-11-23"}, {"scope", "store:S1"}};
  EXPECT_EQ(KpiHeading(answer, "Europe/Paris"), "Store S1 — 2026-11-22 (Europe/Paris)");
  answer["to"] = "2026-11-29";
  EXPECT_EQ(KpiHeading(answer, ""), "Store S1 — 2026-11-22 to 2026-11-28");
  answer = {{"from", "2026-11-22T09:00:00.000Z"},
            {"to", "2026-11-22T11:00:00.000Z"},
            {"scope", "network"}};
  EXPECT_EQ(KpiHeading(answer, ""),
            "Network — 2026-11-22T09:00:00.000Z to 2026-11-22T11:00:00.000Z");
  answer = {{"from", nullptr}, {"to", nullptr}, {"scope", "region:west"}};
  EXPECT_EQ(KpiHeading(answer, ""), "Region west");
}

TEST(KpiTableTest, TotalIsAListOfEveryKpi) {
  json answer = json::parse(R"({"from":"2026-11-22","to":"2026-11-23","scope":"store:S1",
    "by":"total","rows":[{"key":"total","gross_sales":123456,"transactions":3,
    "conversion_rate":null,"nps":41.66,"new_kpi":7}]})");
  auto text = RenderKpiAnswer(answer, KpiView{{}, "Europe/Paris"});
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text,
            "Store S1 — 2026-11-22 (Europe/Paris)\n"
            "\n"
            "KPI              Value\n"
            "────────────  ────────\n"
            "Gross sales   1,234.56\n"
            "Transactions         3\n"
            "Conversion           –\n"
            "NPS               41.7\n"
            "New kpi              7\n");
}

TEST(KpiTableTest, EstimatedFiguresAreMarkedAndTheMarkerIsNoKpi) {
  json answer = json::parse(R"({"from":"2026-11-01","to":"2026-12-01","scope":"network",
    "by":"total","rows":[{"key":"total","customers":4321,"new_customers":12,"clv":null,
    "approximate":["customers","recruitment_rate","purchase_frequency","clv"]}]})");
  auto text = RenderKpiAnswer(answer, KpiView{{}, ""});
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_NE(text->find("≈4,321"), std::string::npos) << *text;  // an estimate
  EXPECT_NE(text->find("   12\n"), std::string::npos) << *text;  // exact: no mark
  EXPECT_EQ(text->find("Approximate"), std::string::npos) << *text;
  EXPECT_EQ(text->find("see --json"), std::string::npos) << *text;
}

// Source health: a day on which a known counter sent nothing marks its conversion, and the note
// under the table names who was missing; the completeness object itself is no KPI.
TEST(KpiTableTest, AnIncompleteDayMarksItsConversionAndNamesWhoWasMissing) {
  json answer = DayAnswer();
  answer["rows"][0]["completeness"] = json::parse(R"({"complete":false,"known":3,"missing":[
      {"kind":"counter","id":"2","label":"door counter 2"},{"kind":"till","id":"4","label":"till 4"}]})");
  answer["rows"][1]["completeness"] =
      json::parse(R"({"complete":true,"known":3,"missing":[]})");
  auto text = RenderKpiAnswer(answer, KpiView{});
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_NE(text->find("25.0%*"), std::string::npos) << *text;
  EXPECT_NE(text->find("* not every known till and door counter reported that day"),
            std::string::npos)
      << *text;
  EXPECT_NE(text->find("  2026-11-22: door counter 2, till 4\n"), std::string::npos) << *text;
  EXPECT_EQ(text->find("2026-11-23:"), std::string::npos) << *text;
  // Without the conversion column, no mark and no note.
  auto plain = RenderKpiAnswer(answer, KpiView{SplitColumns("net_sales"), ""});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->find('*'), std::string::npos) << *plain;

  json day = json::parse(R"({"from":"2026-11-22","to":"2026-11-23","scope":"store:S1",
    "by":"total","rows":[{"key":"total","footfall":400,"conversion_rate":0.25,
    "completeness":{"complete":false,"known":2,"missing":[{"kind":"counter","id":"2",
    "label":"door counter 2"}]}}]})");
  auto total = RenderKpiAnswer(day, KpiView{});
  ASSERT_TRUE(total.ok()) << total.status().ToString();
  EXPECT_NE(total->find("25.0%*"), std::string::npos) << *total;
  EXPECT_NE(total->find("  2026-11-22: door counter 2\n"), std::string::npos) << *total;
  EXPECT_EQ(total->find("Completeness"), std::string::npos) << *total;
}

TEST(KpiTableTest, OtherGroupingsAreAWideTableOfTheMainKpis) {
  auto text = RenderKpiAnswer(DayAnswer(), KpiView{});
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text,
            "Store S1 — 2026-11-22 to 2026-11-23\n"
            "\n"
            "Day         Gross sales  Net sales  Transactions    AOV   UPT  Footfall  Conversion"
            "  Return rate\n"
            "──────────  ───────────  ─────────  ────────────  ─────  ────  ────────  ──────────"
            "  ───────────\n"
            "2026-11-22     1,234.56   1,200.00           100  12.35  2.50       400       25.0%"
            "         2.8%\n"
            "2026-11-23         0.00       0.00             0      –     –         0           –"
            "            –\n");
}

TEST(KpiTableTest, ColumnsChooseTheKpisShown) {
  auto text = RenderKpiAnswer(DayAnswer(), KpiView{SplitColumns("net_sales, footfall"), ""});
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("Day         Net sales  Footfall\n"), std::string::npos) << *text;
  auto bad = RenderKpiAnswer(DayAnswer(), KpiView{{"net_salez"}, ""});
  EXPECT_EQ(bad.status().code(), common::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("net_salez"), std::string::npos);
}

TEST(KpiTableTest, StaffAreListedByNetSalesWithTheirOwnColumns) {
  json answer = json::parse(R"({"from":"2026-11-22","to":"2026-11-23","scope":"store:S1",
    "by":"employee","rows":[
      {"key":"ann","gross_sales":1000,"net_sales":900,"transactions":2,"aov":500,"upt":1.5,
       "return_rate":0.1,"footfall":0},
      {"key":"bob","gross_sales":5000,"net_sales":5000,"transactions":1,"aov":5000,"upt":3.0,
       "return_rate":0,"footfall":0}]})");
  auto text = RenderKpiAnswer(answer, KpiView{});
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text,
            "Store S1 — 2026-11-22\n"
            "\n"
            "Employee  Gross sales  Net sales  Transactions    AOV   UPT  Return rate\n"
            "────────  ───────────  ─────────  ────────────  ─────  ────  ───────────\n"
            "bob             50.00      50.00             1  50.00  3.00         0.0%\n"
            "ann             10.00       9.00             2   5.00  1.50        10.0%\n");
}

// A shared sale splits a transaction (docs/KPIS.md, "Shared credit"): the rows show the shares.
TEST(KpiTableTest, StaffRowsShowFractionalTransactionsOfSharedSales) {
  json answer = json::parse(R"({"from":"2026-11-22","to":"2026-11-23","scope":"store:S1",
    "by":"employee","rows":[
      {"key":"ann","gross_sales":334,"net_sales":334,"transactions":0.333333,"aov":1002.001,
       "upt":2.0,"return_rate":0.0},
      {"key":"bob","gross_sales":1167,"net_sales":1167,"transactions":1.666667,"aov":700.2,
       "upt":1.4,"return_rate":0.0}]})");
  auto text = RenderKpiAnswer(answer, KpiView{});
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text,
            "Store S1 — 2026-11-22\n"
            "\n"
            "Employee  Gross sales  Net sales  Transactions    AOV   UPT  Return rate\n"
            "────────  ───────────  ─────────  ────────────  ─────  ────  ───────────\n"
            "bob             11.67      11.67          1.67   7.00  1.40         0.0%\n"
            "ann              3.34       3.34          0.33  10.02  2.00         0.0%\n");
}

TEST(KpiTableTest, ProductsAreTheBestSellersByUnitsThenValueCutAfterTwentyFive) {
  json answer = {{"from", "2026-11-22"}, {"to", "2026-11-23"}, {"scope", "store:S1"},
                 {"by", "sku"}, {"rows", json::array()}};
  for (int i = 0; i < 30; ++i) {  // SKU-00 sells 0 units … SKU-29 sells 29
    answer["rows"].push_back({{"key", "SKU-" + std::string(i < 10 ? "0" : "") + std::to_string(i)},
                              {"units_sold", i}, {"net_sales", 100 * i}, {"transactions", i},
                              {"units_returned", 0}, {"return_rate_units", nullptr}});
  }
  answer["rows"][28]["units_sold"] = 29;  // ties SKU-29 on units, with less value
  auto text = RenderKpiAnswer(answer, KpiView{});
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_NE(text->find("SKU     Units sold  Net sales  Transactions  Units returned"),
            std::string::npos) << *text;
  EXPECT_LT(text->find("SKU-29"), text->find("SKU-28")) << *text;
  EXPECT_LT(text->find("SKU-28"), text->find("SKU-27")) << *text;
  EXPECT_NE(text->find("SKU-05"), std::string::npos) << *text;  // the 25th
  EXPECT_EQ(text->find("SKU-04"), std::string::npos) << *text;  // the 26th is cut
  EXPECT_NE(text->find("… and 5 more SKUs (--json lists them all)\n"), std::string::npos) << *text;
}

// With a catalogue (docs/KPIS.md, "Cost and margin"): names beside the SKUs, margins as columns.
TEST(KpiTableTest, ProductsShowTheCataloguesNamesAndTheirMargins) {
  json answer = json::parse(R"({"from":"2026-11-22","to":"2026-11-23","scope":"store:S1",
    "by":"sku","catalogue":{"version":"158ae32b0fda7d37","age_s":7300},"rows":[
      {"key":"MUG","name":"Blue mug","units_sold":5,"net_sales":4700,"transactions":2,
       "units_returned":1,"return_rate_units":0.2,"defect_return_rate":0.0,
       "gross_margin":2300,"margin_rate":0.4893617},
      {"key":"GIFT","name":null,"units_sold":2,"net_sales":1000,"transactions":1,
       "units_returned":0,"return_rate_units":0.0,"defect_return_rate":0.0,
       "gross_margin":null,"margin_rate":null}]})");
  auto text = RenderKpiAnswer(answer, KpiView{});
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text,
            "Store S1 — 2026-11-22\n"
            "\n"
            "SKU   Name      Units sold  Net sales  Transactions  Units returned"
            "  Return rate (units)  Defect returns  Margin  Margin %\n"
            "────  ────────  ──────────  ─────────  ────────────  ──────────────"
            "  ───────────────────  ──────────────  ──────  ────────\n"
            "MUG   Blue mug           5      47.00             2               1"
            "                20.0%            0.0%   23.00     48.9%\n"
            "GIFT  –                  2      10.00             1               0"
            "                 0.0%            0.0%       –         –\n"
            "\n"
            "Catalogue 158ae32b0fda7d37 from head office, received 2 h ago.\n");
}

TEST(KpiTableTest, CategoriesAreListedByNetSalesWithTheirMargins) {
  json answer = json::parse(R"j({"from":"2026-11-22","to":"2026-11-23","scope":"store:S1",
    "by":"category","rows":[
      {"key":"(none)","net_sales":1000,"units_sold":2,"transactions":1,"gross_margin":null,
       "margin_rate":null,"units_without_cost":2},
      {"key":"Kitchen","net_sales":3700,"units_sold":5,"transactions":2,"gross_margin":2300,
       "margin_rate":0.6216216,"units_without_cost":0}]})j");
  auto text = RenderKpiAnswer(answer, KpiView{});
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text,
            "Store S1 — 2026-11-22\n"
            "\n"
            "Category  Net sales  Units sold  Transactions  Margin  Margin %  Units w/o cost\n"
            "────────  ─────────  ──────────  ────────────  ──────  ────────  ──────────────\n"
            "Kitchen       37.00           5             2   23.00     62.2%               0\n"
            "(none)        10.00           2             1       –         –               2\n"
            "\n"
            "No product catalogue from head office yet: no names, categories or margins.\n");
}

TEST(KpiTableTest, HourKeysReadAsLocalTimes) {
  json answer = json::parse(R"({"from":"2026-11-22","to":"2026-11-23","scope":"store:S1",
    "by":"hour","rows":[{"key":"2026-11-22T10:00:00+01:00","net_sales":100}]})");
  auto text = RenderKpiAnswer(answer, KpiView{{"net_sales"}, ""});
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("2026-11-22 10:00 +01:00       1.00\n"), std::string::npos) << *text;
}

TEST(KpiTableTest, NoRowsSaysSo) {
  json answer = DayAnswer();
  answer["rows"] = json::array();
  auto text = RenderKpiAnswer(answer, KpiView{});
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("No data for this period."), std::string::npos);
}

TEST(KpiTableTest, AnAnswerWithoutRowsIsAnError) {
  EXPECT_EQ(RenderKpiAnswer(json{{"error", "x"}}, KpiView{}).status().code(),
            common::StatusCode::kInternal);
  EXPECT_EQ(RenderKpiAnswer(json{{"rows", {1, 2}}}, KpiView{}).status().code(),
            common::StatusCode::kInternal);
}

TEST(KpiTableTest, SplitColumnsDropsBlanks) {
  EXPECT_EQ(SplitColumns(" a, b ,,c "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(SplitColumns("").empty());
}

}  // namespace
}  // namespace storepulse::cli
