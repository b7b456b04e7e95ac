#include "central/fleet.h"

#include <gtest/gtest.h>

#include "common/transport/curve_keys.h"

namespace storepulse::central {
namespace {

std::shared_ptr<const StoreDirectory> OneStore() {
  std::string key = common::GenerateCurveKeyPair()->public_key;
  return *StoreDirectory::Parse("store,public_key,name,region,timezone,area_m2\n"
                                "S1," + key + ",Paris,north,Europe/Paris,100\n");
}

TEST(FleetTest, ANewIncarnationShowsItsOwnStreamPositionAndTheRollback) {
  auto directory = OneStore();
  Refusals refusals;
  Fleet fleet;
  fleet.Hello("S1", {"S1", "old", 1000, "v"}, 1'000);
  fleet.Applied("S1", 1000, 1000, 2'000);
  fleet.StreamRolledBack("S1", "the edge's database ends at seq 900", 3'000);
  fleet.Hello("S1", {"S1", "new", 1000, "v"}, 3'000);
  nlohmann::json row = fleet.ToJson(*directory, refusals, 63'000)["stores"][0];
  EXPECT_EQ(row["incarnation"], "new");
  EXPECT_EQ(row["acked_seq"], 0);  // not the old stream's 1,000
  EXPECT_EQ(row["edge_seq"], 1000);
  EXPECT_EQ(row["stream_rollbacks"], 1);
  EXPECT_EQ(row["last_rollback"]["age_s"], 60);
  EXPECT_EQ(row["last_rollback"]["detail"], "the edge's database ends at seq 900");
  fleet.Applied("S1", 400, 400, 64'000);
  EXPECT_EQ(fleet.ToJson(*directory, refusals, 64'000)["stores"][0]["acked_seq"], 400);
}

}  // namespace
}  // namespace storepulse::central
