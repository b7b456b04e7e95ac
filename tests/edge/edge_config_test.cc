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

}  // namespace
}  // namespace storepulse::edge
