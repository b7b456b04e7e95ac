// The alert rules (central/alert_rules.h) on canned KPI and fleet answers: which figure raises
// which alert, at which threshold, and which rules stay quiet.
#include "central/alert_rules.h"

#include <gtest/gtest.h>

namespace storepulse::central {
namespace {

using nlohmann::json;

json Kpis(json rows) { return {{"by", "store"}, {"rows", std::move(rows)}}; }
json Fleet(json stores) { return {{"stores", std::move(stores)}}; }

const Finding* FindKind(const std::vector<Finding>& findings, std::string_view kind) {
  for (const Finding& f : findings) {
    if (f.kind == kind) return &f;
  }
  return nullptr;
}

TEST(AlertRulesTest, KpiRulesFireStrictlyBeyondTheirThresholds) {
  const AlertThresholds t;
  std::vector<Finding> findings = KpiFindings(
      Kpis({{{"key", "S1"}, {"cc_orders", 3}, {"cc_warehouse_share", 2.0 / 3},
             {"sfs_orders", 20}, {"sfs_stock_cancel_rate", 0.05}},
            {{"key", "S2"}, {"cc_orders", 2}, {"cc_warehouse_share", 0.5},
             {"sfs_orders", 1}, {"sfs_stock_cancel_rate", 1.0}}}),
      t);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].id, "cc_warehouse_share/S1");
  EXPECT_EQ(findings[0].store, "S1");
  EXPECT_EQ(findings[0].severity, "warning");
  EXPECT_DOUBLE_EQ(findings[0].value, 2.0 / 3);
  EXPECT_DOUBLE_EQ(findings[0].threshold, 0.5);
  EXPECT_EQ(findings[0].unit, "fraction");
  EXPECT_NE(findings[0].message.find("66.7% of today's 3 click & collect orders"),
            std::string::npos)
      << findings[0].message;
  EXPECT_EQ(findings[1].id, "sfs_stock_cancel_rate/S2");  // S1's 5% is not above 5%
  EXPECT_NE(findings[1].message.find("stock records are wrong"), std::string::npos);
}

TEST(AlertRulesTest, AbsentOrNullKpisRaiseNothing) {
  std::vector<Finding> findings = KpiFindings(
      Kpis({{{"key", "S1"}, {"cc_warehouse_share", nullptr}, {"sfs_stock_cancel_rate", nullptr}},
            {{"key", "S2"}}}),
      AlertThresholds{});
  EXPECT_TRUE(findings.empty());
  EXPECT_TRUE(KpiFindings(json::object(), AlertThresholds{}).empty());
}

TEST(AlertRulesTest, AvailabilityFiresBelowItsThresholdOnceTheKpiExists) {
  std::vector<Finding> findings =
      KpiFindings(Kpis({{{"key", "S1"}, {"availability", 0.85}},
                        {{"key", "S2"}, {"availability", 0.9}}}),
                  AlertThresholds{});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "availability/S1");
  EXPECT_TRUE(IsKpiAlertKind("availability"));
  EXPECT_FALSE(IsKpiAlertKind("store_offline"));
}

TEST(AlertRulesTest, AStoreShownOfflineIsAWarningThenCriticalWhenSilentTooLong) {
  AlertThresholds t;
  t.offline_warning_s = 15;  // central's --online-window-s
  t.offline_s = 900;
  json fleet = Fleet({{{"store", "S1"}, {"online", false}, {"silent_s", 901}},
                      {{"store", "S2"}, {"online", false}, {"silent_s", 900}},
                      {{"store", "S3"}, {"online", false}, {"last_seen", nullptr}},
                      {{"store", "S4"}, {"online", true}, {"silent_s", 3}}});
  std::vector<Finding> findings = FleetFindings(fleet, t, 10);
  // S1 critical; S2 shown offline, at the threshold: warning; S3 not seen, central up 10 s only.
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].id, "store_offline/S1");
  EXPECT_EQ(findings[0].severity, "critical");
  EXPECT_DOUBLE_EQ(findings[0].value, 901);
  EXPECT_DOUBLE_EQ(findings[0].threshold, 900);
  EXPECT_NE(findings[0].message.find("for 15m 1s (critical above 15m)"), std::string::npos)
      << findings[0].message;
  EXPECT_EQ(findings[1].id, "store_offline/S2");
  EXPECT_EQ(findings[1].severity, "warning");
  EXPECT_DOUBLE_EQ(findings[1].threshold, 15);
  EXPECT_NE(findings[1].message.find("for 15m (warning above 15s)"), std::string::npos)
      << findings[1].message;
  findings = FleetFindings(fleet, t, 600);  // S3 unseen for 10 min: warning
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[2].id, "store_offline/S3");
  EXPECT_EQ(findings[2].severity, "warning");
  findings = FleetFindings(fleet, t, 1200);  // and for 20 min: critical
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[2].severity, "critical");
  EXPECT_NE(findings[2].message.find("has not connected since central started 20m ago"),
            std::string::npos)
      << findings[2].message;
}

TEST(AlertRulesTest, ReplicationLagIsCriticalPastItsSecondThreshold) {
  AlertThresholds t;  // 300 s warning, 3600 s critical
  json beat = {{"store", "S1"}, {"online", true}, {"silent_s", 2}, {"lag_s", 3601}};
  std::vector<Finding> findings = FleetFindings(Fleet({beat}), t, 10);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, "critical");
  EXPECT_DOUBLE_EQ(findings[0].threshold, 3600);
  beat["lag_s"] = 3600;
  findings = FleetFindings(Fleet({beat}), t, 10);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, "warning");
  EXPECT_DOUBLE_EQ(findings[0].threshold, 300);
  t.lag_critical_s = 0;  // never critical
  beat["lag_s"] = 90000;
  EXPECT_EQ(FleetFindings(Fleet({beat}), t, 10)[0].severity, "warning");
}

TEST(AlertRulesTest, HeartbeatRulesFireOnlyForOnlineStores) {
  AlertThresholds t;
  json beat = {{"store", "S1"},       {"online", true},           {"silent_s", 2},
               {"lag_s", 301},        {"clock_skew_s", -121},     {"disk_accepting", true},
               {"disk_free_bytes", int64_t{1} << 30}};
  std::vector<Finding> findings = FleetFindings(Fleet({beat}), t, 10);
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].id, "replication_lag/S1");
  EXPECT_EQ(findings[1].id, "clock_skew/S1");
  EXPECT_DOUBLE_EQ(findings[1].value, -121);
  EXPECT_NE(findings[1].message.find("2m 1s behind central's"), std::string::npos);
  EXPECT_EQ(findings[2].id, "disk_low/S1");
  EXPECT_NE(findings[2].message.find("1.0 GiB of disk free (alert below 2.0 GiB)"),
            std::string::npos)
      << findings[2].message;
  beat["online"] = false;  // stale figures: only the offline rule speaks for it
  findings = FleetFindings(Fleet({beat}), t, 10);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "store_offline/S1");
}

// Source health: one alert per till or counter the edge reports silent, worded in the store's
// local time; none once the store is offline (store_offline says it all) or the list is empty.
TEST(AlertRulesTest, EachSilentSourceOfAnOnlineStoreRaisesSourceSilent) {
  AlertThresholds t;
  json store = {{"store", "S1"}, {"online", true}, {"silent_s", 2}, {"disk_accepting", true},
                {"disk_free_bytes", int64_t{8} << 30}};
  store["silent_sources"] = {
      {{"kind", "counter"}, {"id", "2"}, {"label", "door counter 2"},
       {"last_seen_local", "2026-12-04T10:15:03+01:00"}, {"last_seen_today", true},
       {"sent_nothing_for_s", 2700}, {"silent_after_s", 1800}},
      {{"kind", "till"}, {"id", "4"}, {"label", "till 4"},
       {"last_seen_local", "2026-12-03T18:02:00+01:00"}, {"last_seen_today", false},
       {"sent_nothing_for_s", 60'000}, {"silent_after_s", 54'000}}};
  std::vector<Finding> findings = FleetFindings(Fleet({store}), t, 10);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].id, "source_silent/S1/counter:2");
  EXPECT_EQ(findings[0].kind, "source_silent");
  EXPECT_EQ(findings[0].severity, "warning");
  EXPECT_EQ(findings[0].source_kind, "counter");
  EXPECT_EQ(findings[0].source_id, "2");
  EXPECT_DOUBLE_EQ(findings[0].value, 2700);
  EXPECT_DOUBLE_EQ(findings[0].threshold, 1800);
  EXPECT_NE(findings[0].message.find("Store S1: door counter 2 has sent nothing since 10:15 "
                                     "(store time)"),
            std::string::npos)
      << findings[0].message;
  EXPECT_NE(findings[0].message.find("conversion is overstated"), std::string::npos);
  EXPECT_EQ(findings[1].id, "source_silent/S1/till:4");
  EXPECT_NE(findings[1].message.find("till 4 has sent nothing since 2026-12-03 18:02"),
            std::string::npos)
      << findings[1].message;
  EXPECT_NE(findings[1].message.find("its sales are missing"), std::string::npos);
  store["online"] = false;
  EXPECT_EQ(FindKind(FleetFindings(Fleet({store}), t, 10), "source_silent"), nullptr);
  store["online"] = true;
  store["silent_sources"] = json::array();
  EXPECT_TRUE(FleetFindings(Fleet({store}), t, 10).empty());
}

TEST(AlertRulesTest, AStreamRollbackStaysRaisedForADayWhetherOrNotTheStoreIsOnline) {
  AlertThresholds t;
  json rolled = {{"store", "S1"},
                 {"online", false},
                 {"silent_s", 5},
                 {"last_rollback",
                  {{"age_s", 3600}, {"detail", "the edge's database ends at seq 900"}}}};
  std::vector<Finding> findings = FleetFindings(Fleet({rolled}), t, 10);
  ASSERT_EQ(findings.size(), 2u);  // and store_offline: shown offline
  EXPECT_EQ(findings[0].id, "stream_rollback/S1");
  EXPECT_EQ(findings[0].severity, "warning");
  EXPECT_NE(findings[0].message.find("(the edge's database ends at seq 900, 1h ago)"),
            std::string::npos)
      << findings[0].message;
  rolled["last_rollback"]["age_s"] = 86'400;
  EXPECT_EQ(FindKind(FleetFindings(Fleet({rolled}), t, 10), "stream_rollback"), nullptr);
}

TEST(AlertRulesTest, AnEdgeRefusingEventsIsCriticalAndTheDiskRuleCanBeOff) {
  AlertThresholds t;
  t.disk_free_bytes = 0;
  json beat = {{"store", "S1"}, {"online", true}, {"silent_s", 1}, {"lag_s", 0},
               {"clock_skew_s", 0}, {"disk_accepting", true}, {"disk_free_bytes", 1000}};
  EXPECT_TRUE(FleetFindings(Fleet({beat}), t, 10).empty());
  beat["disk_accepting"] = false;
  std::vector<Finding> findings = FleetFindings(Fleet({beat}), t, 10);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, "disk_not_accepting");
  EXPECT_EQ(findings[0].severity, "critical");
  EXPECT_NE(FindKind(findings, "disk_not_accepting"), nullptr);
}

TEST(AlertRulesTest, DescribesDurationsForPeople) {
  EXPECT_EQ(DescribeDuration(0), "0s");
  EXPECT_EQ(DescribeDuration(303), "5m 3s");
  EXPECT_EQ(DescribeDuration(900), "15m");
  EXPECT_EQ(DescribeDuration(7320), "2h 2m");
  EXPECT_EQ(DescribeDuration(90000), "1d 1h");
  EXPECT_EQ(DescribeDuration(-61), "-1m 1s");
}

}  // namespace
}  // namespace storepulse::central
