// The human views of the drivers (cli/drivers_table.h) and of an edge's targets
// (cli/targets_table.h), from hand-made answers.
#include "cli/drivers_table.h"

#include <gtest/gtest.h>

#include "cli/targets_table.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

json Answer() {
  return {{"scope", "store:S1"},
          {"period", "day"},
          {"against", "previous_year"},
          {"from", "2026-12-05"},
          {"to", "2026-12-05T15:00:00.000Z"},
          {"actual",
           {{"net_sales", 876000},
            {"gross_sales", 880000},
            {"returns_value", 4000},
            {"footfall", 920},
            {"transactions", 184},
            {"conversion", 0.2},
            {"basket", 4782.6},
            {"availability", 0.95},
            {"out_of_stock_skus", 3}}},
          {"base",
           {{"net_sales", 1000000},
            {"gross_sales", 1000000},
            {"returns_value", 0},
            {"footfall", 1000},
            {"transactions", 210},
            {"conversion", 0.21},
            {"basket", 4761.9},
            {"availability", 0.97},
            {"out_of_stock_skus", 1}}},
          {"gap", -124000},
          {"status", "behind"},
          {"method", "lmdi"},
          {"drivers",
           {{{"driver", "footfall"}, {"amount", -91000}, {"change", -0.08}},
            {{"driver", "conversion"}, {"amount", -52000}, {"change", -0.01}},
            {{"driver", "basket"}, {"amount", 23000}, {"change", 0.02}},
            {{"driver", "returns"}, {"amount", -4000}, {"change", nullptr}}}}};
}

TEST(DriversTableTest, TheSentenceSaysHowFarBehindAndWhy) {
  EXPECT_EQ(DriversSentence(Answer()),
            "behind last year by 1,240.00: footfall -8.0% (-910.00), conversion -1.0 pt "
            "(-520.00), basket +2.0% (+230.00), returns – (-40.00)");
  json level = Answer();
  level["gap"] = 0;
  EXPECT_EQ(DriversSentence(level), "level with last year");
  json none = Answer();
  none["status"] = "no_data";
  none["gap"] = nullptr;
  EXPECT_EQ(DriversSentence(none), "");
}

TEST(DriversTableTest, TheTableListsEachDriverAndAvailabilityBeside) {
  common::StatusOr<std::string> text = RenderDrivers(Answer());
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_NE(text->find("Drivers of net sales — store:S1, day from 2026-12-05"), std::string::npos)
      << *text;
  EXPECT_NE(text->find("against last year"), std::string::npos);
  EXPECT_NE(text->find("-910.00"), std::string::npos) << *text;
  EXPECT_NE(text->find("Net sales 8,760.00 against 10,000.00"), std::string::npos) << *text;
  EXPECT_NE(text->find("Availability 95.0% (then 97.0%), out-of-stock SKUs 3"), std::string::npos)
      << *text;
  EXPECT_FALSE(RenderDrivers(json::object()).ok());
}

TEST(TargetsTableTest, AnEdgesAnswerShowsTheVersionHeldAndThePace) {
  const json answer = {{"store", "S1"},
                       {"evaluated_at", "2026-12-05T10:30:00.000Z"},
                       {"version", "0123456789abcdef"},
                       {"received_at", "2026-12-05T08:30:00.000Z"},
                       {"age_s", 7200},
                       {"targets",
                        {{{"scope", "store:S1"},
                          {"kpi", "net_sales"},
                          {"period", "day"},
                          {"from", "2026-12-05"},
                          {"to", "2026-12-06"},
                          {"elapsed", 0.47},
                          {"actual", 45000},
                          {"target", 200000},
                          {"expected", 94000},
                          {"gap", -155000},
                          {"gap_pct", -0.775},
                          {"status", "behind"},
                          {"pace",
                           {{"basis", "history"},
                            {"history_days", 8},
                            {"share", 0.25},
                            {"expected_by_now", 50000},
                            {"projected_close", 180000},
                            {"on_track", false}}}}}}};
  common::StatusOr<std::string> text = RenderTargets(answer);
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_NE(text->find("Targets of store S1"), std::string::npos) << *text;
  EXPECT_NE(text->find("version 0123456789abcdef"), std::string::npos) << *text;
  EXPECT_NE(text->find("day: 25.0% of a normal day done (history, 8 days): expected by now "
                       "500.00, projected close 1,800.00 — BEHIND"),
            std::string::npos)
      << *text;
  const json empty = {{"store", "S1"},      {"evaluated_at", "2026-12-05T10:30:00.000Z"},
                      {"version", nullptr}, {"received_at", nullptr},
                      {"age_s", nullptr},   {"targets", json::array()}};
  EXPECT_NE(RenderTargets(empty)->find("No target received from central yet"), std::string::npos);
}

}  // namespace
}  // namespace storepulse::cli
