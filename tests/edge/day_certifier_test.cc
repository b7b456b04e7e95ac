#include "edge/day_certifier.h"

#include <gtest/gtest.h>

#include "edge/event_store.h"
#include "tests/integration/test_events.h"
#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

namespace wire = common::wire;
using test_support::Sales;

constexpr int64_t kHourMs = 3600 * 1000;

class DayCertifierTest : public testing::Test {
 protected:
  DayCertifierTest() : zone_(*common::TimeZone::Load("UTC")) {
    auto store = EventStore::Open(dir_.path(), "S1", zone_, Durability::kNormal);
    EXPECT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    day_ = zone_.LocalDayOf(test_support::NowMs()) - 3;
    closes_ = zone_.LocalDayStartMs(day_ + 1) + 2 * kHourMs;
    Append(Sales("d", 3, Noon()));
    DayCertifierOptions options;
    options.data_dir = dir_.path();
    options.zone = &zone_;
    options.grace_ms = 2 * kHourMs;
    options.scan_interval_ms = 0;
    certifier_ = std::make_unique<DayCertifier>(options);
  }

  int64_t Noon() const { return zone_.LocalDayStartMs(day_) + 12 * kHourMs; }
  void Append(const std::vector<common::Event>& events) {
    std::vector<AppendOutcome> outcomes;
    auto group = store_->BeginGroup();
    ASSERT_TRUE(group.ok());
    ASSERT_TRUE(group->Append(events, 1, &outcomes).ok());
    ASSERT_TRUE(group->Commit().ok());
  }
  // What one step sends.
  std::vector<wire::Message> Step(int64_t now, int64_t acked) {
    std::vector<wire::Message> sent;
    certifier_->Step(now, true, acked, [&](const wire::Message& m) {
      sent.push_back(m);
      return true;
    });
    return sent;
  }
  void Welcome(bool certifies) {
    wire::Welcome welcome{"inc", 0, closes_, {}};
    if (certifies) welcome.capabilities.emplace_back(wire::kCapabilityDayCertificates);
    certifier_->OnMessage(welcome, closes_);
  }
  std::string Date() const { return common::TimeZone::FormatLocalDate(day_); }

  test_support::TempDir dir_;
  common::TimeZone zone_;
  std::unique_ptr<EventStore> store_;
  int64_t day_ = 0;
  int64_t closes_ = 0;
  std::unique_ptr<DayCertifier> certifier_;
};

// An older central (no capability in its welcome) is never sent a sign-off message.
TEST_F(DayCertifierTest, NothingGoesToACentralWhoseWelcomeLacksTheCapability) {
  Welcome(false);
  EXPECT_TRUE(Step(closes_ + 60'000, 3).empty());
  EXPECT_FALSE(certifier_->Status()["enabled"].get<bool>());
}

TEST_F(DayCertifierTest, AClosedDayCentralHoldsWholeIsCertifiedOnce) {
  Welcome(true);
  EXPECT_TRUE(Step(closes_ - 1, 3).empty()) << "not closed yet";
  EXPECT_TRUE(Step(closes_, 2).empty()) << "central has not acknowledged the day's last event";
  auto sent = Step(closes_, 3);
  ASSERT_EQ(sent.size(), 1u);
  const auto* certificate = std::get_if<wire::DayCertificate>(&sent[0]);
  ASSERT_NE(certificate, nullptr);
  EXPECT_EQ(certificate->day, Date());
  EXPECT_EQ(certificate->events, 3);
  EXPECT_EQ(certificate->ids_hash, common::DayIdsHash({"d-0", "d-1", "d-2"}));
  EXPECT_EQ(certificate->totals.at("transactions"), 3);
  EXPECT_TRUE(Step(closes_ + 1000, 3).empty()) << "waiting for the verdict";
  certifier_->OnMessage(wire::DayVerdict{Date(), "certified", ""}, closes_ + 1000);
  EXPECT_TRUE(Step(closes_ + 3'600'000, 3).empty()) << "certified: not sent again";
  EXPECT_EQ(certifier_->Status()["days"][0]["state"], "certified");
}

TEST_F(DayCertifierTest, ResendSendsTheDaysEventsThenCertifiesAgainOnceTheyAreApplied) {
  Welcome(true);
  ASSERT_EQ(Step(closes_, 3).size(), 1u);
  certifier_->OnMessage(wire::DayVerdict{Date(), "resend", "events: edge 3, central 2"}, closes_);
  auto parts = Step(closes_ + 10, 3);
  ASSERT_EQ(parts.size(), 1u);
  const auto* events = std::get_if<wire::DayEvents>(&parts[0]);
  ASSERT_NE(events, nullptr);
  EXPECT_EQ(events->day, Date());
  EXPECT_EQ(events->first_seq, 1);
  EXPECT_EQ(events->events.size(), 3u);
  EXPECT_EQ(events->tag.rfind("day-", 0), 0u);
  EXPECT_TRUE(Step(closes_ + 20, 3).empty()) << "until central acknowledges the resend";
  certifier_->OnMessage(wire::Ack{events->tag, 3}, closes_ + 30);
  auto again = Step(closes_ + 40, 3);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<wire::DayCertificate>(again[0]));
  // Still different: the day differs and is not sent again while the edge's figures stay.
  certifier_->OnMessage(wire::DayVerdict{Date(), "differs", "events: edge 3, central 4"},
                        closes_ + 50);
  EXPECT_TRUE(Step(closes_ + 3'600'000, 3).empty());
  EXPECT_EQ(certifier_->Status()["days"][0]["state"], "differs");
}

TEST_F(DayCertifierTest, ALateEventReopensACertifiedDay) {
  Welcome(true);
  ASSERT_EQ(Step(closes_, 3).size(), 1u);
  certifier_->OnMessage(wire::DayVerdict{Date(), "certified", ""}, closes_);
  Append(Sales("late", 1, Noon()));
  EXPECT_TRUE(Step(closes_ + 1000, 3).empty()) << "central has not acknowledged the late event";
  EXPECT_TRUE(certifier_->Status()["days"][0]["reopened"].get<bool>());
  auto sent = Step(closes_ + 2000, 4);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(std::get<wire::DayCertificate>(sent[0]).events, 4);
}

// A reconnection starts over what was under way: the certificate goes again after the welcome.
TEST_F(DayCertifierTest, AWelcomeSendsACertificateUnderWayAgain) {
  Welcome(true);
  ASSERT_EQ(Step(closes_, 3).size(), 1u);
  Welcome(true);
  EXPECT_EQ(Step(closes_ + 10, 3).size(), 1u);
}

}  // namespace
}  // namespace storepulse::edge
