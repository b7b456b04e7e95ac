// Central's reports file (central/reports_file.h): a file head office edits, read into report
// definitions, and every broken line named with what is wrong.
#include "central/reports_file.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/temp_dir.h"

namespace storepulse::central {
namespace {

using common::GroupBy;
using common::ReportAudience;
using common::ReportPeriod;

TEST(ReportsFileTest, ReadsEveryReportWithItsDefaults) {
  auto reports = ParseReports(
      "# head office's reports\n"
      "name,audience,title,kpis,by,period,scope\n"
      "daily, manager | advisor ,Today at a glance,net_sales|aov|conversion_rate,,today,\n"
      "\n"
      "# ops only\n"
      "hours,ops,\"Footfall, by hour\",footfall|conversion_rate,hour,this_week,region\n");
  ASSERT_TRUE(reports.ok()) << reports.status().message();
  ASSERT_EQ(reports->size(), 2u);
  const common::ReportDefinition& daily = (*reports)[0];
  EXPECT_EQ(daily.name, "daily");
  EXPECT_EQ(daily.audience,
            (std::vector<ReportAudience>{ReportAudience::kManager, ReportAudience::kAdvisor}));
  EXPECT_EQ(daily.title, "Today at a glance");
  EXPECT_EQ(daily.kpis, (std::vector<std::string>{"net_sales", "aov", "conversion_rate"}));
  EXPECT_EQ(daily.by, GroupBy::kTotal);
  EXPECT_EQ(daily.period, ReportPeriod::kToday);
  EXPECT_EQ(daily.scope, "store");
  const common::ReportDefinition& hours = (*reports)[1];
  EXPECT_EQ(hours.title, "Footfall, by hour");
  EXPECT_EQ(hours.by, GroupBy::kHour);
  EXPECT_EQ(hours.period, ReportPeriod::kThisWeek);
  EXPECT_EQ(hours.scope, "region");
}

TEST(ReportsFileTest, NamesEveryBadLine) {
  auto reports = ParseReports(
      "name,audience,title,kpis,by,period,scope\n"
      "daily,manager,Daily,net_sales,,today,\n"
      "daily,advisor,Again,aov,,today,\n"
      "x,boss,T,aov,,today,\n"
      "y,ops,T,aov|happiness,,today,\n"
      "z,ops,T,aov,store,today,\n"
      "w,ops,T,aov,,fortnight,\n"
      "v,ops,,aov,,today,\n"
      "u,ops,T,aov,,today\n");
  ASSERT_FALSE(reports.ok());
  const std::string& message = reports.status().message();
  EXPECT_NE(message.find("line 3: a second report named daily (first on line 2)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("line 4: bad audience \"boss\" (manager, advisor or ops)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("line 5: unknown KPI \"happiness\""), std::string::npos) << message;
  EXPECT_NE(message.find("line 6: bad grouping \"store\""), std::string::npos) << message;
  EXPECT_NE(message.find("line 7: bad period \"fortnight\""), std::string::npos) << message;
  EXPECT_NE(message.find("line 8: the title must have 1-120 characters"), std::string::npos)
      << message;
  EXPECT_NE(message.find("line 9: expected 7 cells"), std::string::npos) << message;
}

TEST(ReportsFileTest, NeedsItsHeader) {
  auto reports = ParseReports("name,audience,title\ndaily,manager,Daily\n");
  ASSERT_FALSE(reports.ok());
  EXPECT_EQ(reports.status().message(),
            "the first line must be the header name,audience,title,kpis,by,period,scope");
}

TEST(ReportsFileTest, LoadsAFileAndNamesItInErrors) {
  auto none = LoadReports("");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE((*none)->empty());
  test_support::TempDir dir;
  const std::string path = dir.path() + "/reports.csv";
  auto missing = LoadReports(path);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), common::StatusCode::kNotFound);
  std::ofstream(path) << "name,audience,title,kpis,by,period,scope\nd,manager,D,aov,,yesterday,\n";
  auto loaded = LoadReports(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ASSERT_EQ((*loaded)->size(), 1u);
  EXPECT_EQ((**loaded)[0].period, ReportPeriod::kYesterday);
  std::ofstream(path) << "name,audience,title,kpis,by,period,scope\nd,manager,D,aov,,someday,\n";
  auto broken = LoadReports(path);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().message().rfind(path + ": line 2: bad period", 0), 0u)
      << broken.status().message();
}

}  // namespace
}  // namespace storepulse::central
