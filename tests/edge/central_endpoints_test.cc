#include "edge/central_endpoints.h"

#include <gtest/gtest.h>

namespace storepulse::edge {
namespace {

TEST(CentralEndpointsTest, OneEndpointOneKey) {
  auto centrals = ParseCentralEndpoints("tcp://central:7600", "/etc/storepulse/central.pub");
  ASSERT_TRUE(centrals.ok()) << centrals.status().message();
  ASSERT_EQ(centrals->size(), 1u);
  EXPECT_EQ((*centrals)[0].endpoint, "tcp://central:7600");
  EXPECT_EQ((*centrals)[0].public_key, "/etc/storepulse/central.pub");
}

TEST(CentralEndpointsTest, OneKeyServesEveryEndpointInOrder) {
  auto centrals = ParseCentralEndpoints("tcp://a:7600,tcp://b:7600 , tcp://c:7600", "central.pub");
  ASSERT_TRUE(centrals.ok()) << centrals.status().message();
  ASSERT_EQ(centrals->size(), 3u);
  EXPECT_EQ((*centrals)[0].endpoint, "tcp://a:7600");
  EXPECT_EQ((*centrals)[1].endpoint, "tcp://b:7600");
  EXPECT_EQ((*centrals)[2].endpoint, "tcp://c:7600");
  for (const CentralEndpoint& central : *centrals) EXPECT_EQ(central.public_key, "central.pub");
}

TEST(CentralEndpointsTest, AKeyListPairsWithTheEndpointsInOrder) {
  auto centrals = ParseCentralEndpoints("tcp://a:7600,tcp://b:7600", "a.pub, b.pub");
  ASSERT_TRUE(centrals.ok()) << centrals.status().message();
  EXPECT_EQ((*centrals)[0].public_key, "a.pub");
  EXPECT_EQ((*centrals)[1].public_key, "b.pub");
}

TEST(CentralEndpointsTest, RefusalsNameTheFlagAndTheEntry) {
  auto empty = ParseCentralEndpoints("tcp://a:7600,,tcp://b:7600", "central.pub");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), common::StatusCode::kInvalidArgument);
  EXPECT_NE(empty.status().message().find("--central-endpoint: entry 2 of 3 is empty"),
            std::string::npos)
      << empty.status().message();
  auto empty_key = ParseCentralEndpoints("tcp://a:7600,tcp://b:7600", " ,b.pub");
  ASSERT_FALSE(empty_key.ok());
  EXPECT_NE(empty_key.status().message().find("--central-public-key: entry 1 of 2 is empty"),
            std::string::npos)
      << empty_key.status().message();
  auto mismatch = ParseCentralEndpoints("tcp://a:7600", "a.pub,b.pub");
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.status().message().find("2 keys for 1 endpoint of --central-endpoint"),
            std::string::npos)
      << mismatch.status().message();
  auto twice = ParseCentralEndpoints("tcp://a:7600,tcp://a:7600", "central.pub");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("lists tcp://a:7600 twice"), std::string::npos)
      << twice.status().message();
}

}  // namespace
}  // namespace storepulse::edge
