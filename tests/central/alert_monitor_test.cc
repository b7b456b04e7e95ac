// The alert monitor (central/alert_monitor.h) with a fake clock and canned inputs: an alert is
// raised, keeps its `since` while it fires, clears when the figure recovers, is listed as recently
// cleared for a while; an unreadable input keeps its alerts; the thread evaluates by itself.
#include "central/alert_monitor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace storepulse::central {
namespace {

using nlohmann::json;

constexpr int64_t kT0 = 1'795'000'000'000;  // central's watch starts here

class AlertMonitorTest : public ::testing::Test {
 protected:
  AlertMonitorTest()
      : clock_(kT0),
        monitor_(AlertMonitorOptions{}, [this](int64_t) { return Input(fleet_); },
                 [this](int64_t) { return Input(kpis_); }, clock_) {}

  static common::StatusOr<json> Input(const common::StatusOr<json>& canned) { return canned; }

  void SetShare(double share) {
    kpis_ = json{{"rows", {{{"key", "S1"}, {"cc_orders", 4}, {"cc_warehouse_share", share}}}}};
  }
  void SetSilent(int64_t silent_s) {
    fleet_ = json{{"stores", {{{"store", "S2"}, {"online", silent_s < 15},
                               {"silent_s", silent_s}}}}};
  }

  common::FakeClock clock_;
  common::StatusOr<json> fleet_ = json{{"stores", json::array()}};
  common::StatusOr<json> kpis_ = json{{"rows", json::array()}};
  AlertMonitor monitor_;
};

TEST_F(AlertMonitorTest, RaisesKeepsSinceAndClearsWhenTheFigureRecovers) {
  EXPECT_TRUE(monitor_.ToJson()["evaluated_at"].is_null());
  SetShare(0.75);
  monitor_.Evaluate(kT0);
  json answer = monitor_.ToJson();
  ASSERT_EQ(answer["alerts"].size(), 1u);
  EXPECT_EQ(answer["alerts"][0]["id"], "cc_warehouse_share/S1");
  EXPECT_EQ(answer["alerts"][0]["since"], common::FormatRfc3339Utc(kT0));
  EXPECT_EQ(answer["alerts"][0]["value"], 0.75);
  EXPECT_EQ(answer["alerts"][0]["threshold"], 0.5);
  EXPECT_EQ(answer["evaluated_at"], common::FormatRfc3339Utc(kT0));
  EXPECT_EQ(monitor_.raised(), 1);

  SetShare(0.6);  // still above: same alert, same since, new value
  monitor_.Evaluate(kT0 + 15'000);
  answer = monitor_.ToJson();
  ASSERT_EQ(answer["alerts"].size(), 1u);
  EXPECT_EQ(answer["alerts"][0]["since"], common::FormatRfc3339Utc(kT0));
  EXPECT_EQ(answer["alerts"][0]["value"], 0.6);

  SetShare(0.25);  // recovered
  monitor_.Evaluate(kT0 + 30'000);
  answer = monitor_.ToJson();
  EXPECT_TRUE(answer["alerts"].empty());
  ASSERT_EQ(answer["recently_cleared"].size(), 1u);
  EXPECT_EQ(answer["recently_cleared"][0]["since"], common::FormatRfc3339Utc(kT0));
  EXPECT_EQ(answer["recently_cleared"][0]["cleared_at"], common::FormatRfc3339Utc(kT0 + 30'000));
  EXPECT_EQ(monitor_.raised(), 0);

  SetShare(0.9);  // raised again: a new since
  monitor_.Evaluate(kT0 + 45'000);
  EXPECT_EQ(monitor_.ToJson()["alerts"][0]["since"], common::FormatRfc3339Utc(kT0 + 45'000));
}

TEST_F(AlertMonitorTest, ClearedAlertsAreListedForAnHourOnly) {
  SetShare(0.75);
  monitor_.Evaluate(kT0);
  SetShare(0.1);
  monitor_.Evaluate(kT0 + 1000);
  monitor_.Evaluate(kT0 + 1000 + 3'600'000);
  EXPECT_EQ(monitor_.ToJson()["recently_cleared"].size(), 1u);
  monitor_.Evaluate(kT0 + 1001 + 3'600'000);
  EXPECT_TRUE(monitor_.ToJson()["recently_cleared"].empty());
}

TEST_F(AlertMonitorTest, AnUnreadableInputKeepsItsAlertsAndSaysWhy) {
  SetShare(0.75);
  SetSilent(1000);
  monitor_.Evaluate(kT0);
  ASSERT_EQ(monitor_.raised(), 2);
  kpis_ = common::Unavailable("database is locked");
  SetSilent(1);  // the fleet is read: its alert clears
  monitor_.Evaluate(kT0 + 15'000);
  json answer = monitor_.ToJson();
  ASSERT_EQ(answer["alerts"].size(), 1u);
  EXPECT_EQ(answer["alerts"][0]["id"], "cc_warehouse_share/S1");
  EXPECT_EQ(answer["alerts"][0]["since"], common::FormatRfc3339Utc(kT0));
  ASSERT_EQ(answer["errors"].size(), 1u);
  EXPECT_NE(answer["errors"][0].get<std::string>().find("database is locked"), std::string::npos);
}

TEST_F(AlertMonitorTest, ListsCriticalAlertsFirstThenTheNewest) {
  SetShare(0.75);
  monitor_.Evaluate(kT0);
  SetSilent(1000);
  monitor_.Evaluate(kT0 + 1000);
  json answer = monitor_.ToJson();
  ASSERT_EQ(answer["alerts"].size(), 2u);
  EXPECT_EQ(answer["alerts"][0]["kind"], "store_offline");
  EXPECT_EQ(answer["alerts"][0]["severity"], "critical");
  EXPECT_EQ(answer["summary"], json({{"raised", 2},
                                     {"critical", 1},
                                     {"warning", 1},
                                     {"silenced", 0},
                                     {"acknowledged", 0}}));
  EXPECT_EQ(monitor_.critical(), 1);
  EXPECT_EQ(answer["thresholds"]["offline_s"], 900);
}

TEST_F(AlertMonitorTest, AStoreNeverSeenIsOfflineOnceCentralHasWatchedLongEnough) {
  fleet_ = json{{"stores", {{{"store", "S3"}, {"online", false}, {"last_seen", nullptr}}}}};
  monitor_.Evaluate(kT0 + 15'000);  // watching for exactly the online window: not yet
  EXPECT_EQ(monitor_.raised(), 0);
  monitor_.Evaluate(kT0 + 16'000);
  json alert = monitor_.ToJson()["alerts"][0];
  EXPECT_EQ(alert["id"], "store_offline/S3");
  EXPECT_EQ(alert["severity"], "warning");
  monitor_.Evaluate(kT0 + 901'000);  // 15 min: critical, the same alert since its warning
  alert = monitor_.ToJson()["alerts"][0];
  EXPECT_EQ(alert["severity"], "critical");
  EXPECT_EQ(alert["since"], common::FormatRfc3339Utc(kT0 + 16'000));
}

TEST(AlertMonitorThreadTest, EvaluatesOnItsOwnThreadUntilStopped) {
  common::SystemClock clock;
  std::atomic<int> evaluations{0};
  AlertMonitorOptions options;
  options.interval_ms = 10;
  AlertMonitor monitor(
      options,
      [&](int64_t) -> common::StatusOr<json> {
        ++evaluations;
        return json{{"stores", json::array()}};
      },
      [](int64_t) -> common::StatusOr<json> { return json{{"rows", json::array()}}; }, clock);
  monitor.Start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (evaluations < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  monitor.Stop();
  EXPECT_GE(evaluations.load(), 3);
  EXPECT_FALSE(monitor.ToJson()["evaluated_at"].is_null());
  const int after_stop = evaluations;
  monitor.Stop();  // idempotent
  EXPECT_EQ(evaluations.load(), after_stop);
}

}  // namespace
}  // namespace storepulse::central
