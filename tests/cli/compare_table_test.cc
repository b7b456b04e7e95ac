// The human view of a compared KPI answer (cli/compare_table.h) on canned answers of
// GET /api/v1/kpi?compare=…: relative changes for amounts, points for rates.
#include "cli/compare_table.h"

#include <gtest/gtest.h>

namespace storepulse::cli {
namespace {

using nlohmann::json;

json Row(std::string key, int64_t gross, int64_t previous_gross, json conversion,
         json previous_conversion) {
  json change = {{"gross_sales", previous_gross ? json(double(gross - previous_gross) /
                                                       double(previous_gross))
                                                : json()}};
  json delta = {{"gross_sales", gross - previous_gross},
                {"conversion_rate", conversion.is_number() && previous_conversion.is_number()
                                        ? json(conversion.get<double>() -
                                               previous_conversion.get<double>())
                                        : json()}};
  return {{"key", key},
          {"gross_sales", gross},
          {"conversion_rate", conversion},
          {"previous",
           {{"key", key},
            {"gross_sales", previous_gross},
            {"conversion_rate", previous_conversion}}},
          {"delta", delta},
          {"change", change}};
}

json Answer(std::string by, json rows) {
  return {{"scope", "store:S1"},
          {"from", "2026-11-20"},
          {"to", "2026-11-21"},
          {"by", by},
          {"compare", {{"with", "previous_week"}, {"days", 7}, {"from", "2026-11-13"},
                       {"to", "2026-11-14"}}},
          {"rows", std::move(rows)}};
}

TEST(CompareTableTest, TotalListsValuePreviousAndChange) {
  json answer = Answer("total", {Row("total", 300000, 200000, 0.188, 0.2)});
  ASSERT_TRUE(HasComparison(answer));
  common::StatusOr<std::string> text = RenderComparison(answer, KpiView{{}, "Europe/Paris"});
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_NE(text->find("Store S1 — 2026-11-20 (Europe/Paris)\n"
                       "Compared with the same days a week earlier: 2026-11-13\n"),
            std::string::npos)
      << *text;
  EXPECT_NE(text->find("3,000.00"), std::string::npos);
  EXPECT_NE(text->find("2,000.00"), std::string::npos);
  EXPECT_NE(text->find("+50.0%"), std::string::npos) << *text;  // (3000 − 2000) / 2000
  EXPECT_NE(text->find("-1.2 pt"), std::string::npos) << *text;  // 18.8% − 20.0%
}

TEST(CompareTableTest, OtherGroupingsShowEachKpiWithItsChange) {
  json answer = Answer("day", {Row("2026-11-20", 100, 0, nullptr, nullptr)});
  common::StatusOr<std::string> text =
      RenderComparison(answer, KpiView{{"gross_sales", "conversion_rate"}, ""});
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_NE(text->find("2026-11-20"), std::string::npos);
  EXPECT_NE(text->find("Change"), std::string::npos);
  EXPECT_EQ(FormatChange("gross_sales", answer["rows"][0]), "–");  // nothing the week before
  EXPECT_EQ(FormatChange("conversion_rate", answer["rows"][0]), "–");
  EXPECT_FALSE(RenderComparison(answer, KpiView{{"bogus"}, ""}).ok());
  EXPECT_FALSE(HasComparison(json::object()));
}

}  // namespace
}  // namespace storepulse::cli
