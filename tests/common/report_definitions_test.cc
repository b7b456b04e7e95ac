// The reports document (common/reference/report_definitions.h, report_run.h): rows that read back
// as the definitions, refused rows naming the field, the periods in a store's local calendar
// (hand-checked against a calendar: 2026-12-06 was a Sunday) and an answer cut to a report's KPIs.
#include "common/reference/report_definitions.h"

#include <gtest/gtest.h>

#include "common/kpi/kpi_json.h"
#include "common/reference/report_run.h"
#include "common/time_zone.h"

namespace storepulse::common {
namespace {

ReportDefinition Daily() {
  return {"daily",
          {ReportAudience::kManager, ReportAudience::kAdvisor},
          "Today at a glance",
          {"net_sales", "aov"},
          GroupBy::kTotal,
          ReportPeriod::kToday,
          "store"};
}

using Span = std::pair<std::string, std::string>;

int64_t Day(const char* date) { return *TimeZone::ParseLocalDate(date); }

std::pair<std::string, std::string> Dates(ReportPeriod period, const char* today) {
  const auto [first, end] = ReportPeriodDays(period, Day(today));
  return {TimeZone::FormatLocalDate(first), TimeZone::FormatLocalDate(end)};
}

TEST(ReportDefinitionsTest, RowsReadBackAsTheReports) {
  ReportDefinition ops = {"hourly-ops",
                          {ReportAudience::kOps},
                          "Hours of the week",
                          {"footfall", "conversion_rate", "net_sales"},
                          GroupBy::kHour,
                          ReportPeriod::kThisWeek,
                          "region"};
  const DocumentRows rows = ReportsRows({Daily(), ops});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows.at("daily"), nlohmann::json::parse(R"({"audience":["manager","advisor"],
      "title":"Today at a glance","kpis":["net_sales","aov"],"by":"total","period":"today",
      "scope":"store"})"));
  auto back = ReportsFromRows(rows);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, (ReportList{Daily(), ops}));  // sorted by name
  EXPECT_TRUE(ReportIsFor(Daily(), ReportAudience::kAdvisor));
  EXPECT_FALSE(ReportIsFor(Daily(), ReportAudience::kOps));
}

TEST(ReportDefinitionsTest, AReportMayGroupByTheCataloguesCategories) {
  ReportDefinition margins = Daily();
  margins.name = "margins";
  margins.kpis = {"net_sales", "gross_margin", "margin_rate"};
  margins.by = GroupBy::kCategory;
  const DocumentRows rows = ReportsRows({margins});
  EXPECT_EQ(rows.at("margins")["by"], "category");
  auto back = ReportsFromRows(rows);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, ReportList{margins});
}

TEST(ReportDefinitionsTest, ARowAgainstTheRulesIsRefusedByName) {
  DocumentRows rows = ReportsRows({Daily()});
  rows["daily"]["kpis"] = {"net_sales", "happiness"};
  auto refused = ReportsFromRows(rows);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "report daily: unknown KPI \"happiness\"");
  rows = ReportsRows({Daily()});
  rows["daily"]["by"] = "store";
  refused = ReportsFromRows(rows);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("bad grouping \"store\""), std::string::npos);
  rows = ReportsRows({Daily()});
  rows["Bad Name"] = rows["daily"];
  refused = ReportsFromRows(rows);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(),
            "report Bad Name: bad name \"Bad Name\" (1-64 of a-z, 0-9, _ and -)");
  rows = ReportsRows({Daily()});
  rows["daily"].erase("title");
  refused = ReportsFromRows(rows);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "report daily: title is missing or not a string");
}

TEST(ReportDefinitionsTest, PeriodsFollowTheLocalCalendar) {
  using P = ReportPeriod;
  const char* sunday = "2026-12-06";
  EXPECT_EQ(Dates(P::kToday, sunday), (Span("2026-12-06", "2026-12-07")));
  EXPECT_EQ(Dates(P::kYesterday, sunday), (Span("2026-12-05", "2026-12-06")));
  EXPECT_EQ(Dates(P::kThisWeek, sunday), (Span("2026-11-30", "2026-12-07")));
  EXPECT_EQ(Dates(P::kLastWeek, sunday), (Span("2026-11-23", "2026-11-30")));
  EXPECT_EQ(Dates(P::kThisMonth, sunday), (Span("2026-12-01", "2026-12-07")));
  EXPECT_EQ(Dates(P::kLastMonth, sunday), (Span("2026-11-01", "2026-12-01")));
  EXPECT_EQ(Dates(P::kLast7Days, sunday), (Span("2026-11-30", "2026-12-07")));
  EXPECT_EQ(Dates(P::kLast28Days, sunday), (Span("2026-11-09", "2026-12-07")));
  // A Monday starts its own week; January's last month is the year before's December.
  EXPECT_EQ(Dates(P::kThisWeek, "2026-11-30"), (Span("2026-11-30", "2026-12-01")));
  EXPECT_EQ(Dates(P::kLastMonth, "2026-01-15"), (Span("2025-12-01", "2026-01-01")));
  const KpiRequest request = ReportRequest(Daily(), Day(sunday));
  EXPECT_EQ(request.from, "2026-12-06");
  EXPECT_EQ(request.to, "2026-12-07");
  EXPECT_EQ(request.by, GroupBy::kTotal);
}

TEST(ReportDefinitionsTest, TheAnswerHoldsOnlyTheReportsKpis) {
  KpiAnswer answer;
  answer.from = "2026-12-06";
  answer.to = "2026-12-07";
  answer.scope = "store:S1";
  KpiRow row;
  row.key = "total";
  row[Kpi::kNetSales] = KpiValue::Integer(12500);
  row[Kpi::kAov] = KpiValue::Real(3125.0);
  row[Kpi::kFootfall] = KpiValue::Integer(40);
  answer.rows.push_back(row);
  const nlohmann::json json = ReportAnswerJson(Daily(), answer);
  EXPECT_EQ(json["rows"][0],
            nlohmann::json::parse(R"({"key":"total","net_sales":12500,"aov":3125.0})"));
  EXPECT_EQ(json["report"]["name"], "daily");
  EXPECT_EQ(json["from"], "2026-12-06");
}

}  // namespace
}  // namespace storepulse::common
