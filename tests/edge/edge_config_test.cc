#include "edge/edge_config.h"

#include <gtest/gtest.h>

namespace storepulse::edge {
namespace {

TEST(EdgeConfigTest, RetentionDaysIsZeroForKeepEverythingOrAPositiveNumberOfDays) {
  EdgeConfig config;
  config.store = "S1";
  EXPECT_EQ(config.retention_days, 90);
  EXPECT_TRUE(ValidateEdgeConfig(config).ok());
  config.retention_days = 0;
  EXPECT_TRUE(ValidateEdgeConfig(config).ok());
  config.retention_days = -1;
  common::Status negative = ValidateEdgeConfig(config);
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.message().find("--retention-days"), std::string::npos) << negative.message();
  config.retention_days = 36'501;
  EXPECT_FALSE(ValidateEdgeConfig(config).ok());
}

// A replicating edge's config with `endpoints` and `keys` (as given on the command line).
EdgeConfig Replicating(const std::string& endpoints, const std::string& keys) {
  EdgeConfig config;
  config.store = "S1";
  config.central_endpoint = endpoints;
  config.central_public_key = keys;
  config.secret_key_file = "/etc/storepulse/edge.key";
  return config;
}

// The message of ValidateEdgeConfig's refusal; empty when it accepts the config.
std::string Refusal(const EdgeConfig& config) {
  common::Status status = ValidateEdgeConfig(config);
  return status.ok() ? "" : status.message();
}

TEST(EdgeConfigTest, SeveralCentralEndpointsShareOneKeyOrTakeOneEach) {
  EXPECT_EQ(Refusal(Replicating("tcp://a:7600", "central.pub")), "");
  EXPECT_EQ(Refusal(Replicating("tcp://a:7600,tcp://b:7600", "central.pub")), "");
  EXPECT_EQ(Refusal(Replicating("tcp://a:7600, tcp://b:7600", "a.pub, b.pub")), "");
}

TEST(EdgeConfigTest, AnEmptyEntryInTheEndpointListIsRefusedByItsPlace) {
  for (const char* endpoints : {"tcp://a:7600,,tcp://b:7600", "tcp://a:7600,", ",tcp://a:7600",
                                "tcp://a:7600, ,tcp://b:7600"}) {
    const std::string refusal = Refusal(Replicating(endpoints, "central.pub"));
    EXPECT_NE(refusal.find("--central-endpoint"), std::string::npos)
        << endpoints << ": " << refusal;
    EXPECT_NE(refusal.find("empty"), std::string::npos) << endpoints << ": " << refusal;
  }
  const std::string keys = Refusal(Replicating("tcp://a:7600,tcp://b:7600", "a.pub,"));
  EXPECT_NE(keys.find("--central-public-key"), std::string::npos) << keys;
  EXPECT_NE(keys.find("empty"), std::string::npos) << keys;
}

TEST(EdgeConfigTest, AKeyListMustMatchTheEndpointList) {
  const std::string refusal =
      Refusal(Replicating("tcp://a:7600,tcp://b:7600,tcp://c:7600", "a.pub,b.pub"));
  EXPECT_NE(refusal.find("2 keys for 3 endpoints"), std::string::npos) << refusal;
  EXPECT_NE(Refusal(Replicating("tcp://a:7600", "a.pub,b.pub")), "");
}

TEST(EdgeConfigTest, AnEndpointListedTwiceOrWithoutATransportIsRefused) {
  const std::string twice = Refusal(Replicating("tcp://a:7600,tcp://a:7600", "central.pub"));
  EXPECT_NE(twice.find("twice"), std::string::npos) << twice;
  const std::string bare = Refusal(Replicating("tcp://a:7600,b:7600", "central.pub"));
  EXPECT_NE(bare.find("b:7600"), std::string::npos) << bare;
}

TEST(EdgeConfigTest, OpeningHoursAreCheckedWithTheConfigAndSayWhatIsWrong) {
  EdgeConfig config;
  config.store = "S1";
  EXPECT_EQ(Refusal(config), "");  // empty: always open
  config.opening_hours = "mon-fri 09:00-19:00; sat 10:00-18:00";
  EXPECT_EQ(Refusal(config), "");
  config.opening_hours = "mon-fri 09:00-19:00; sat 10:00-28:00";
  const std::string refusal = Refusal(config);
  EXPECT_NE(refusal.find("--opening-hours: \"28:00\" is not a time"), std::string::npos)
      << refusal;
}

TEST(EdgeConfigTest, TheSilenceThresholdIsASecondToAWeekInMinutes) {
  EdgeConfig config;
  config.store = "S1";
  EXPECT_EQ(config.source_silent_minutes, 30);
  for (double minutes : {1.0 / 60, 0.05, 30.0, 10080.0}) {
    config.source_silent_minutes = minutes;
    EXPECT_EQ(Refusal(config), "") << minutes;
  }
  for (double minutes : {0.0, 0.01, -5.0, 10081.0}) {
    config.source_silent_minutes = minutes;
    EXPECT_NE(Refusal(config).find("--source-silent-minutes"), std::string::npos) << minutes;
  }
}

}  // namespace
}  // namespace storepulse::edge
