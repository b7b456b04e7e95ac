// The human views of central's alerts and targets (cli/alerts_table.h, cli/targets_table.h) on
// canned answers of GET /api/v1/alerts and GET /api/v1/targets.
#include <gtest/gtest.h>

#include "cli/alert_note_command.h"
#include "cli/alerts_table.h"
#include "cli/targets_table.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

json Alert(std::string kind, std::string store, std::string severity, json value, json threshold,
           std::string unit, std::string since) {
  return {{"id", kind + "/" + store}, {"kind", kind}, {"store", store},
          {"severity", severity},     {"since", since}, {"value", value},
          {"threshold", threshold},   {"unit", unit},   {"message", "What " + kind + " means."}};
}

TEST(AlertsTableTest, ShowsEachAlertWithItsFigureAgeAndWhatToDo) {
  json answer = {
      {"evaluated_at", "2026-11-22T10:15:00.000Z"},
      {"summary", {{"raised", 2}, {"critical", 1}, {"warning", 1}}},
      {"alerts",
       {Alert("store_offline", "S3", "critical", 1000, 900, "seconds", "2026-11-22T10:00:00.000Z"),
        Alert("cc_warehouse_share", "S1", "warning", 2.0 / 3, 0.5, "fraction",
              "2026-11-21T23:00:00.000Z")}},
      {"recently_cleared",
       {{{"kind", "clock_skew"}, {"store", "S2"}, {"since", "2026-11-22T09:00:00.000Z"},
         {"cleared_at", "2026-11-22T09:30:00.000Z"}}}},
      {"errors", json::array()}};
  common::StatusOr<std::string> text = RenderAlerts(answer);
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_NE(
      text->find("2 alerts raised (1 critical, 1 warning) — evaluated 2026-11-22T10:15:00.000Z"),
      std::string::npos)
      << *text;
  EXPECT_NE(text->find("CRITICAL"), std::string::npos);
  EXPECT_NE(text->find("store offline"), std::string::npos);
  EXPECT_NE(text->find("16m 40s"), std::string::npos) << *text;   // 1000 s
  EXPECT_NE(text->find("15m 0s"), std::string::npos) << *text;    // raised 10:00, now 10:15
  EXPECT_NE(text->find("66.7%"), std::string::npos);
  EXPECT_NE(text->find("50.0%"), std::string::npos);
  EXPECT_NE(text->find("2026-11-21 23:00:00Z"), std::string::npos) << *text;  // another day
  EXPECT_NE(text->find("What to do:\n  What store_offline means."), std::string::npos);
  EXPECT_NE(text->find("S2 clock skew: raised 09:00:00Z, cleared 09:30:00Z"), std::string::npos);
  EXPECT_LT(text->find("store offline"), text->find("cc warehouse share"));
}

TEST(AlertsTableTest, ASilentSourceAlertNamesTheTillOrCounter) {
  json silent = Alert("source_silent", "S1", "warning", 2700, 1800, "seconds",
                      "2026-11-22T10:00:00.000Z");
  silent["id"] = "source_silent/S1/counter:2";
  silent["source"] = {{"kind", "counter"}, {"id", "2"}};
  json cleared = silent;
  cleared["source"] = {{"kind", "till"}, {"id", "4"}};
  cleared["cleared_at"] = "2026-11-22T10:05:00.000Z";
  json answer = {{"evaluated_at", "2026-11-22T10:15:00.000Z"},
                 {"summary", {{"raised", 1}, {"critical", 0}, {"warning", 1}}},
                 {"alerts", {silent}},
                 {"recently_cleared", {cleared}},
                 {"errors", json::array()}};
  common::StatusOr<std::string> text = RenderAlerts(answer);
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_NE(text->find("source silent: door counter 2"), std::string::npos) << *text;
  EXPECT_NE(text->find("45m 0s"), std::string::npos) << *text;
  EXPECT_NE(text->find("S1 source silent: till 4: raised"), std::string::npos) << *text;
}

TEST(AlertsTableTest, SaysWhenNothingIsRaisedAndRefusesAnotherShape) {
  json quiet = {{"evaluated_at", "2026-11-22T10:15:00.000Z"},
                {"summary", {{"raised", 0}, {"critical", 0}, {"warning", 0}}},
                {"alerts", json::array()},
                {"errors", {"KPIs not read"}}};
  common::StatusOr<std::string> text = RenderAlerts(quiet);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text,
            "No alert raised — evaluated 2026-11-22T10:15:00.000Z\n\nNote: KPIs not read\n");
  EXPECT_FALSE(RenderAlerts(json::array()).ok());
  EXPECT_EQ(FormatAlertValue(json(1610612736), "bytes"), "1.5 GiB");
  EXPECT_EQ(FormatAlertValue(json(nullptr), "seconds"), "–");
}

TEST(TargetsTableTest, ShowsActualTargetGapAndStatusInTheKpisUnits) {
  json answer = {
      {"evaluated_at", "2026-11-22T12:00:00.000Z"},
      {"targets",
       {{{"scope", "store:S1"}, {"kpi", "net_sales"}, {"period", "week"},
         {"from", "2026-11-16"}, {"to", "2026-11-23"}, {"elapsed", 0.5}, {"actual", 520000},
         {"target", 1000000}, {"expected", 500000}, {"gap", -480000}, {"gap_pct", -0.48},
         {"status", "on_track"}},
        {{"scope", "region:X"}, {"kpi", "conversion_rate"}, {"period", "day"},
         {"from", "2026-11-22"}, {"to", "2026-11-23"}, {"elapsed", 0.5}, {"actual", 0.2},
         {"target", 0.25}, {"expected", 0.25}, {"gap", -0.05}, {"gap_pct", -0.2},
         {"status", "behind"}},
        {{"scope", "region:Y"}, {"kpi", "net_sales"}, {"period", "day"}, {"from", nullptr},
         {"to", nullptr}, {"elapsed", 0}, {"actual", nullptr}, {"target", 100},
         {"expected", 0}, {"gap", nullptr}, {"gap_pct", nullptr}, {"status", "no_data"},
         {"error", "no store in scope region:Y"}}}}};
  common::StatusOr<std::string> text = RenderTargets(answer);
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_NE(text->find("week 2026-11-16 to 2026-11-22"), std::string::npos) << *text;
  EXPECT_NE(text->find("day 2026-11-22 "), std::string::npos) << *text;
  EXPECT_NE(text->find("5,200.00"), std::string::npos);
  EXPECT_NE(text->find("-4,800.00"), std::string::npos) << *text;
  EXPECT_NE(text->find("-48.0%"), std::string::npos);
  EXPECT_NE(text->find("on track"), std::string::npos);
  EXPECT_NE(text->find("BEHIND"), std::string::npos);
  EXPECT_NE(text->find("Not judged:\n  region:Y net_sales: no store in scope region:Y\n"),
            std::string::npos)
      << *text;
}

TEST(AlertsTableTest, ShowsEachAlertsIdAndWhoAcknowledgedOrSilencedIt) {
  json alert = Alert("store_offline", "S3", "critical", 1000, 900, "seconds",
                     "2026-11-22T10:00:00.000Z");
  alert["acknowledged"] = {{"by", "alice"}, {"at", "2026-11-22T10:05:00.000Z"}, {"comment", ""}};
  alert["silenced_until"] = "2026-11-22T12:00:00.000Z";
  json answer = {{"evaluated_at", "2026-11-22T10:15:00.000Z"},
                 {"summary", {{"raised", 1}, {"critical", 1}, {"warning", 0}}},
                 {"alerts", {alert}}};
  common::StatusOr<std::string> text = RenderAlerts(answer);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("store_offline/S3"), std::string::npos) << *text;
  EXPECT_NE(text->find("acked by alice, silenced to 12:00:00Z"), std::string::npos) << *text;
}

TEST(AlertNoteCommandTest, ReadsDurationsLikeAnOnCallEngineerWritesThem) {
  EXPECT_EQ(*ParseDurationSeconds("45s"), 45);
  EXPECT_EQ(*ParseDurationSeconds("90m"), 5400);
  EXPECT_EQ(*ParseDurationSeconds("2h"), 7200);
  EXPECT_EQ(*ParseDurationSeconds("1d"), 86400);
  EXPECT_EQ(*ParseDurationSeconds("1h30m"), 5400);
  for (const char* bad : {"", "2", "h", "2x", "0s", "-1h", "1h30"}) {
    EXPECT_FALSE(ParseDurationSeconds(bad).ok()) << bad;
  }
}

TEST(TargetsTableTest, SaysWhereTargetsComeFromWhenThereAreNone) {
  common::StatusOr<std::string> text =
      RenderTargets({{"evaluated_at", "2026-11-22T12:00:00.000Z"}, {"targets", json::array()}});
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("--targets-file"), std::string::npos);
  EXPECT_FALSE(RenderTargets(json::object()).ok());
  EXPECT_EQ(TargetStatusText("missed"), "MISSED");
}

}  // namespace
}  // namespace storepulse::cli
