#include "central/storage_state.h"

#include <gtest/gtest.h>

#include "central/alert_rules.h"

namespace storepulse::central {
namespace {

const common::Status kFull = common::ResourceExhausted("disk full: … central.db has no room left");

TEST(StorageStateTest, AFullDiskTurnsBatchesAwayButLetsOneThroughEachProbe) {
  StorageState state(1000);
  EXPECT_TRUE(state.storing());
  EXPECT_EQ(state.TurnAway(0), "");
  EXPECT_TRUE(state.Failed(kFull, 10));   // starts: log it
  EXPECT_FALSE(state.Failed(kFull, 11));  // the same failure: said once
  EXPECT_FALSE(state.storing());
  EXPECT_NE(state.TurnAway(500).find("central is not storing: disk full"), std::string::npos);
  EXPECT_EQ(state.TurnAway(1011), "");  // the probe
  EXPECT_NE(state.TurnAway(1012), "");
  EXPECT_EQ(state.refused_batches(), 4);
  EXPECT_NE(state.Stored(2000).find("central stores again after 1 s of a full disk"),
            std::string::npos);
  EXPECT_TRUE(state.storing());
  EXPECT_EQ(state.Stored(2001), "");
  EXPECT_EQ(state.TurnAway(2002), "");
}

TEST(StorageStateTest, OtherWriteFailuresShowButTurnNothingAway) {
  StorageState state(1000);
  EXPECT_TRUE(state.Failed(common::Unavailable("central.db is busy"), 0));
  EXPECT_FALSE(state.storing());
  EXPECT_EQ(state.TurnAway(1), "");
  EXPECT_EQ(state.ToJson(5000)["disk_full"], false);
  EXPECT_EQ(state.ToJson(5000)["for_s"], 5);
}

TEST(StorageStateTest, NotStoringIsACriticalAlertOfTheWholeNetwork) {
  StorageState state;
  nlohmann::json fleet = {{"stores", nlohmann::json::array()}};
  fleet["central"]["storage"] = state.ToJson(0);
  EXPECT_TRUE(FleetFindings(fleet, {}, 0).empty());
  state.Failed(kFull, 0);
  fleet["central"]["storage"] = state.ToJson(60'000);
  auto findings = FleetFindings(fleet, {}, 0);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "central_not_storing");
  EXPECT_EQ(findings[0].store, "");
  EXPECT_EQ(findings[0].severity, "critical");
  EXPECT_EQ(findings[0].value, 60);
  EXPECT_NE(findings[0].message.find("its disk is full"), std::string::npos);
}

}  // namespace
}  // namespace storepulse::central
