#include <gtest/gtest.h>

#include "cli/kpi_format.h"
#include "cli/number_format.h"
#include "cli/table.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

TEST(NumberFormatTest, GroupsThousands) {
  EXPECT_EQ(GroupThousands(0), "0");
  EXPECT_EQ(GroupThousands(999), "999");
  EXPECT_EQ(GroupThousands(1000), "1,000");
  EXPECT_EQ(GroupThousands(1234567), "1,234,567");
  EXPECT_EQ(GroupThousands(-1234), "-1,234");
  EXPECT_EQ(GroupThousands(INT64_MIN), "-9,223,372,036,854,775,808");
}

TEST(NumberFormatTest, MoneyIsMinorUnitsShownAsCurrency) {
  EXPECT_EQ(FormatMoney(int64_t{123456}), "1,234.56");
  EXPECT_EQ(FormatMoney(int64_t{5}), "0.05");
  EXPECT_EQ(FormatMoney(int64_t{0}), "0.00");
  EXPECT_EQ(FormatMoney(int64_t{-5}), "-0.05");
  EXPECT_EQ(FormatMoney(int64_t{-123456789}), "-1,234,567.89");
  EXPECT_EQ(FormatMoney(1234.5), "12.35");  // an average basket, rounded to the cent
  EXPECT_EQ(FormatMoney(-1234.5), "-12.35");
}

TEST(NumberFormatTest, RatesArePercentagesWithOneDecimal) {
  EXPECT_EQ(FormatPercent(0.234), "23.4%");
  EXPECT_EQ(FormatPercent(0.23456), "23.5%");
  EXPECT_EQ(FormatPercent(1.0), "100.0%");
  EXPECT_EQ(FormatPercent(0.0), "0.0%");
  EXPECT_EQ(FormatPercent(12.5), "1,250.0%");
  EXPECT_EQ(FormatDecimal(-0.04, 1), "0.0");
  EXPECT_EQ(FormatDecimal(-12345.678, 2), "-12,345.68");
}

TEST(KpiFormatTest, EachKpiReadsInItsUnit) {
  EXPECT_EQ(FormatKpi("gross_sales", 123456), "1,234.56");
  EXPECT_EQ(FormatKpi("net_sales", -2500), "-25.00");
  EXPECT_EQ(FormatKpi("web_returns_in_store_value", 990), "9.90");
  EXPECT_EQ(FormatKpi("aov", 1234.5), "12.35");
  EXPECT_EQ(FormatKpi("conversion_rate", 0.234), "23.4%");
  EXPECT_EQ(FormatKpi("return_rate_units", 0.05), "5.0%");
  EXPECT_EQ(FormatKpi("cc_warehouse_share", 0.5), "50.0%");
  EXPECT_EQ(FormatKpi("nps", 42), "42.0");
  EXPECT_EQ(FormatKpi("csat", 87.6543), "87.7");
  EXPECT_EQ(FormatKpi("transactions", 12345), "12,345");
  // by=employee: a share of shared sales, fractional or whole (docs/KPIS.md, "Shared credit").
  EXPECT_EQ(FormatKpi("transactions", 0.333333), "0.33");
  EXPECT_EQ(FormatKpi("transactions", 1.5), "1.50");
  EXPECT_EQ(FormatKpi("transactions", 3.0), "3");
  EXPECT_EQ(FormatKpi("transactions", 2999.9999999), "3,000");
  EXPECT_EQ(FormatKpi("defect_return_rate", 0.25), "25.0%");
  EXPECT_EQ(FormatKpi("upt", 2.3456), "2.35");
  EXPECT_EQ(FormatKpi("avg_late_minutes", 12.26), "12.3");
  EXPECT_EQ(FormatKpi("sales_per_m2", 12345.6), "123.46");
}

// identified_net_sales is money (minor units) like net_sales, though its name says nothing of it.
TEST(KpiFormatTest, IdentifiedNetSalesIsMoney) {
  EXPECT_EQ(FormatKpi("identified_net_sales", 123456), "1,234.56");
  EXPECT_EQ(FormatKpi("identified_transactions", 12345), "12,345");
}

TEST(KpiFormatTest, NullIsADash) {
  EXPECT_EQ(FormatKpi("conversion_rate", nullptr), "–");
  EXPECT_EQ(FormatKpi("aov", nullptr), "–");
  EXPECT_EQ(FormatKpi("nps", nullptr), "–");
  EXPECT_EQ(FormatKpi("top_skus", json::array()), "(see --json)");
}

TEST(KpiFormatTest, LabelsAreReadable) {
  EXPECT_EQ(KpiLabel("gross_sales"), "Gross sales");
  EXPECT_EQ(KpiLabel("aov"), "AOV");
  EXPECT_EQ(KpiLabel("some_new_kpi"), "Some new kpi");
  EXPECT_EQ(KpiLabel("sfs_stock_cancel_rate"), "SFS stock cancels");  // the short label
  EXPECT_EQ(UnitOfKpi("recruitment_rate"), common::KpiUnit::kRate);
  EXPECT_EQ(UnitOfKpi("some_new_kpi"), std::nullopt);
  EXPECT_EQ(FormatKpi("some_new_kpi", 12345), "12,345");
  EXPECT_EQ(FormatKpi("some_new_kpi", 1.5), "1.50");
}

TEST(TableTest, PadsColumnsAndRightAlignsNumbers) {
  Table table;
  table.AddColumn("Day", Align::kLeft);
  table.AddColumn("Net sales", Align::kRight);
  table.AddRow({"2026-11-22", "1,234.56"});
  table.AddRow({"2026-11-23", "–"});
  EXPECT_EQ(table.Render(),
            "Day         Net sales\n"
            "──────────  ─────────\n"
            "2026-11-22   1,234.56\n"
            "2026-11-23          –\n");
}

TEST(TableTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(DisplayWidth("–"), 1u);
  EXPECT_EQ(DisplayWidth("Sales per m²"), 12u);
  Table table;
  table.AddColumn("KPI", Align::kLeft);
  table.AddColumn("Value", Align::kRight);
  table.AddRow({"Conversion", "–"});
  table.AddRow({"Footfall"});  // a missing cell prints empty
  EXPECT_EQ(table.Render(),
            "KPI         Value\n"
            "──────────  ─────\n"
            "Conversion      –\n"
            "Footfall\n");
}

}  // namespace
}  // namespace storepulse::cli
