// The alert monitor's deliveries, acknowledgements, silences and what alerts.db keeps
// (central/alert_monitor.h, central/alert_store.h), with a fake clock, canned inputs, a real
// alerts.db in a temp dir and an outbox that records the changes instead of posting them.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

#include "central/alert_monitor.h"
#include "central/alert_store.h"
#include "tests/support/temp_dir.h"

namespace storepulse::central {
namespace {

using nlohmann::json;

constexpr int64_t kT0 = 1'795'000'000'000;

// Each change as "firing warning store_offline/S2", its body the change itself.
class RecordingOutbox final : public AlertOutbox {
 public:
  std::vector<PendingDelivery> DeliveriesFor(const AlertChange& change) const override {
    return {PendingDelivery{0, "test",
                            std::string(change.firing ? "firing " : "resolved ") +
                                change.finding.severity + " " + change.finding.id,
                            0, 0}};
  }
  void Wake() override { ++wakes; }
  json Stats() const override { return json::object(); }
  int wakes = 0;
};

class AlertNotesTest : public ::testing::Test {
 protected:
  AlertNotesTest() { Reopen(); }

  // A new monitor (central restarted) over the same alerts.db.
  void Reopen() {
    monitor_.reset();
    store_.reset();
    auto store = AlertStore::Open(dir_.File("alerts.db"), 100);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    monitor_ = std::make_unique<AlertMonitor>(
        AlertMonitorOptions{}, [this](int64_t) { return common::StatusOr<json>(fleet_); },
        [](int64_t) { return common::StatusOr<json>(json{{"rows", json::array()}}); }, clock_);
    monitor_->set_outbox(&outbox_);
    ASSERT_TRUE(monitor_->Restore(store_.get()).ok());
  }
  // S2 heard from `silent_s` ago (shown offline after 15 s).
  void SetSilent(int64_t silent_s) {
    fleet_ = json{{"stores", {{{"store", "S2"}, {"region", "north"}, {"online", silent_s <= 15},
                               {"silent_s", silent_s}}}}};
  }
  // The deliveries waiting in alerts.db's outbox, oldest first; taken out.
  std::vector<std::string> TakeDeliveries() {
    std::vector<std::string> out;
    for (;;) {
      auto heads = store_->Heads();
      EXPECT_TRUE(heads.ok());
      if (!heads.ok() || heads->empty()) return out;
      out.push_back((*heads)[0].payload);
      EXPECT_TRUE(store_->Delivered((*heads)[0].seq).ok());
    }
  }
  json Alert() { return monitor_->ToJson()["alerts"][0]; }

  test_support::TempDir dir_;
  common::FakeClock clock_{kT0};
  json fleet_ = json{{"stores", json::array()}};
  RecordingOutbox outbox_;
  std::unique_ptr<AlertStore> store_;
  std::unique_ptr<AlertMonitor> monitor_;
};

TEST_F(AlertNotesTest, EachRaiseSeverityChangeAndClearIsDeliveredOnceInOrder) {
  SetSilent(20);
  monitor_->Evaluate(kT0);
  EXPECT_EQ(Alert()["region"], "north");
  monitor_->Evaluate(kT0 + 1000);  // unchanged: nothing more
  SetSilent(901);
  monitor_->Evaluate(kT0 + 2000);
  monitor_->Evaluate(kT0 + 3000);
  SetSilent(1);
  monitor_->Evaluate(kT0 + 4000);
  EXPECT_EQ(TakeDeliveries(),
            (std::vector<std::string>{"firing warning store_offline/S2",
                                      "resolved warning store_offline/S2",
                                      "firing critical store_offline/S2",
                                      "resolved critical store_offline/S2"}));
  EXPECT_EQ(outbox_.wakes, 3);
}

TEST_F(AlertNotesTest, ASilencedAlertIsListedButNotDeliveredUntilItsSilenceEnds) {
  SetSilent(20);
  monitor_->Evaluate(kT0);
  ASSERT_EQ(TakeDeliveries().size(), 1u);
  auto silenced = monitor_->Silence("store_offline/S2", kT0 + 60'000, "bob", "refit", kT0);
  ASSERT_TRUE(silenced.ok()) << silenced.status().message();
  EXPECT_EQ((*silenced)["silenced_until"], common::FormatRfc3339Utc(kT0 + 60'000));
  clock_.Set(kT0 + 1000);
  SetSilent(901);  // critical while silenced: the warning's end only
  monitor_->Evaluate(kT0 + 1000);
  EXPECT_EQ(Alert()["severity"], "critical");
  EXPECT_EQ(Alert()["silenced_until"], common::FormatRfc3339Utc(kT0 + 60'000));
  EXPECT_EQ(monitor_->ToJson()["summary"]["silenced"], 1);
  EXPECT_EQ(TakeDeliveries(), (std::vector<std::string>{"resolved warning store_offline/S2"}));
  clock_.Set(kT0 + 61'000);  // the silence is over: the critical alert goes out
  monitor_->Evaluate(kT0 + 61'000);
  EXPECT_TRUE(Alert()["silenced_until"].is_null());
  EXPECT_EQ(TakeDeliveries(), (std::vector<std::string>{"firing critical store_offline/S2"}));
}

TEST_F(AlertNotesTest, AnAlertRaisedAndClearedWhileSilencedIsNeverDelivered) {
  SetSilent(20);
  monitor_->Evaluate(kT0);
  ASSERT_TRUE(monitor_->Silence("store_offline/S2", kT0 + 3'600'000, "bob", "", kT0).ok());
  SetSilent(1);
  monitor_->Evaluate(kT0 + 1000);
  SetSilent(20);  // flaps: raised again, still silenced (the silence outlives the alert)
  monitor_->Evaluate(kT0 + 2000);
  SetSilent(1);
  monitor_->Evaluate(kT0 + 3000);
  EXPECT_EQ(TakeDeliveries(), (std::vector<std::string>{"firing warning store_offline/S2",
                                                        "resolved warning store_offline/S2"}));
}

TEST_F(AlertNotesTest, AcknowledgementsSilencesSinceAndPendingDeliveriesSurviveARestart) {
  SetSilent(20);
  monitor_->Evaluate(kT0);
  auto acked = monitor_->Acknowledge("store_offline/S2", "alice", "on it", kT0 + 500);
  ASSERT_TRUE(acked.ok());
  EXPECT_EQ((*acked)["acknowledged"],
            json({{"by", "alice"}, {"at", common::FormatRfc3339Utc(kT0 + 500)},
                  {"comment", "on it"}}));
  ASSERT_TRUE(monitor_->Silence("store_offline/S2", kT0 + 7'200'000, "bob", "", kT0 + 600).ok());

  Reopen();  // the delivery not yet taken is still there, and nothing is raised twice
  fleet_ = json{{"stores", {{{"store", "S2"}, {"online", false}}}}};  // not heard from yet
  monitor_->Evaluate(kT0 + 1000);
  json alert = Alert();
  EXPECT_EQ(alert["since"], common::FormatRfc3339Utc(kT0));
  EXPECT_EQ(alert["acknowledged"]["by"], "alice");
  EXPECT_EQ(alert["silenced_until"], common::FormatRfc3339Utc(kT0 + 7'200'000));
  EXPECT_EQ(TakeDeliveries(), (std::vector<std::string>{"firing warning store_offline/S2"}));

  SetSilent(1);  // back: cleared, the acknowledgement goes with it, the clear is delivered
  monitor_->Evaluate(kT0 + 2000);
  Reopen();
  json answer = monitor_->ToJson();
  EXPECT_TRUE(answer["alerts"].empty());
  ASSERT_EQ(answer["recently_cleared"].size(), 1u);
  EXPECT_EQ(answer["recently_cleared"][0]["cleared_at"], common::FormatRfc3339Utc(kT0 + 2000));
  EXPECT_TRUE(answer["recently_cleared"][0]["acknowledged"].is_null());
  EXPECT_EQ(TakeDeliveries(), (std::vector<std::string>{"resolved warning store_offline/S2"}));
}

TEST_F(AlertNotesTest, OnlyARaisedAlertCanBeAcknowledgedAndASilenceEndsInTheFuture) {
  EXPECT_EQ(monitor_->Acknowledge("store_offline/S9", "alice", "", kT0).status().code(),
            common::StatusCode::kNotFound);
  SetSilent(20);
  monitor_->Evaluate(kT0);
  EXPECT_EQ(monitor_->Silence("store_offline/S2", kT0, "bob", "", kT0).status().code(),
            common::StatusCode::kInvalidArgument);
  EXPECT_EQ(monitor_->Silence("store_offline/S9", kT0 + 1, "bob", "", kT0).status().code(),
            common::StatusCode::kNotFound);
}

// One central among several (PostgreSQL): it answers the leader's evaluation while it follows
// and forwards an acknowledgement to it; taking the lead, it goes on from the last leader's
// alerts — same since, nothing raised again — and applies what was forwarded.
class FakeLeadership final : public AlertLeadership {
 public:
  bool Lead() override { return lead; }
  void Publish(const json& state) override {
    std::lock_guard lock(mu);
    published = state;
  }
  std::optional<json> Fetch() override {
    std::lock_guard lock(mu);
    return leader_state;
  }
  common::Status Forward(const json& note) override {
    std::lock_guard lock(mu);
    notes.push_back(note);
    return common::OkStatus();
  }
  std::vector<json> TakeNotes() override {
    std::lock_guard lock(mu);
    return std::exchange(notes, {});
  }
  std::atomic<bool> lead{false};
  std::mutex mu;
  std::optional<json> leader_state;  // guarded by mu
  json published;                    // guarded by mu
  std::vector<json> notes;           // forwarded, not yet taken; guarded by mu
};

TEST_F(AlertNotesTest, ANewLeaderGoesOnFromTheLastLeadersAlertsWithoutRaisingThemAgain) {
  FakeLeadership leadership;
  RaisedAlert alert;
  alert.finding = Finding{"store_offline/S2", "store_offline", "S2", "north", "warning", 20, 15,
                          "seconds", "Store S2 …", {}, {}};
  alert.since_ms = kT0 - 5000;
  alert.acknowledged = Acknowledgement{"alice", kT0 - 4000, ""};
  leadership.leader_state = json{{"alerts", {AlertJson(alert, nullptr)}},
                                 {"recently_cleared", json::array()},
                                 {"summary", {{"raised", 1}, {"critical", 0}, {"warning", 1}}},
                                 {"evaluated_by", "central-a:42"}};
  SetSilent(20);
  AlertMonitorOptions options;
  options.interval_ms = 5;
  AlertMonitor follower(
      options, [this](int64_t) { return common::StatusOr<json>(fleet_); },
      [](int64_t) { return common::StatusOr<json>(json{{"rows", json::array()}}); }, clock_);
  follower.set_outbox(&outbox_);
  ASSERT_TRUE(follower.Restore(store_.get()).ok());
  follower.set_leadership(&leadership);
  follower.Start();
  const auto wait = [](const std::function<bool()>& done) {
    for (int i = 0; i < 2000 && !done(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return done();
  };
  ASSERT_TRUE(wait([&] { return follower.raised() == 1; }));
  auto ack = follower.Acknowledge("store_offline/S2", "bob", "seen", kT0);
  ASSERT_TRUE(ack.ok()) << ack.status().message();
  EXPECT_EQ((*ack)["acknowledged"]["by"], "bob");
  EXPECT_EQ(follower.Acknowledge("store_offline/S9", "bob", "", kT0).status().code(),
            common::StatusCode::kNotFound);
  {
    std::lock_guard lock(leadership.mu);
    ASSERT_EQ(leadership.notes.size(), 1u);
    EXPECT_EQ(leadership.notes[0]["action"], "ack");
  }

  leadership.lead = true;
  ASSERT_TRUE(wait([&] {
    std::lock_guard lock(leadership.mu);
    return leadership.published.is_object();
  }));
  follower.Stop();
  json answer = follower.ToJson();
  ASSERT_EQ(answer["alerts"].size(), 1u) << answer.dump(2);
  EXPECT_EQ(answer["alerts"][0]["since"], common::FormatRfc3339Utc(kT0 - 5000));
  EXPECT_EQ(answer["alerts"][0]["acknowledged"]["by"], "bob");  // the forwarded note, applied
  EXPECT_EQ(answer["alerts"][0]["acknowledged"]["comment"], "seen");
  EXPECT_TRUE(TakeDeliveries().empty());  // the last leader told the receivers already
}

TEST(AlertStoreTest, DropsTheOldestDeliveriesBeyondItsBoundAndKeepsEachReceiversOrder) {
  test_support::TempDir dir;
  auto store = AlertStore::Open(dir.File("alerts.db"), 3);
  ASSERT_TRUE(store.ok());
  std::vector<PendingDelivery> four;
  for (const char* body : {"1", "2", "3", "4"}) four.push_back({0, "http://a/", body, 0, 0});
  auto dropped = (*store)->Save(json(), four, kT0);
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(*dropped, 1);
  ASSERT_TRUE((*store)->Save(json(), {{0, "http://b/", "b1", 0, 0}}, kT0).ok());
  EXPECT_EQ(*(*store)->Pending(), 3);  // 3, 4, b1
  auto heads = (*store)->Heads();
  ASSERT_TRUE(heads.ok());
  ASSERT_EQ(heads->size(), 2u);
  EXPECT_EQ((*heads)[0].payload, "3");
  EXPECT_EQ((*heads)[1].payload, "b1");
  ASSERT_TRUE((*store)->Retry((*heads)[0].seq, 1, kT0 + 1000, "down").ok());
  heads = (*store)->Heads();
  EXPECT_EQ((*heads)[0].attempts, 1);
  EXPECT_EQ((*heads)[0].next_attempt_ms, kT0 + 1000);
}

}  // namespace
}  // namespace storepulse::central
