#include "edge/central_rotation.h"

#include <gtest/gtest.h>

namespace storepulse::edge {
namespace {

TEST(CentralRotationTest, MovesToTheNextCentralAtOnceUntilAWholeRoundFailed) {
  CentralRotation rotation(3, {500, 30'000});
  EXPECT_EQ(rotation.current(), 0u);
  EXPECT_EQ(rotation.FailOver(1000), 1000);
  EXPECT_EQ(rotation.current(), 1u);
  EXPECT_EQ(rotation.FailOver(1000), 1000);
  EXPECT_EQ(rotation.current(), 2u);
  EXPECT_EQ(rotation.FailOver(1000), 1500);  // all three failed: back off before the first again
  EXPECT_EQ(rotation.current(), 0u);
  EXPECT_EQ(rotation.failovers(), 3);
  EXPECT_EQ(rotation.failures_since_progress(), 3);
}

TEST(CentralRotationTest, TheBackOffDoublesRoundAfterRoundUpToItsCap) {
  CentralRotation rotation(2, {500, 3000});
  std::vector<int64_t> waits;
  for (int round = 0; round < 5; ++round) {
    EXPECT_EQ(rotation.FailOver(0), 0);  // the other central, at once
    waits.push_back(rotation.FailOver(0));
  }
  EXPECT_EQ(waits, (std::vector<int64_t>{500, 1000, 2000, 3000, 3000}));
  EXPECT_EQ(rotation.current(), 0u);
}

TEST(CentralRotationTest, ProgressStartsANewRoundWithoutBackOff) {
  CentralRotation rotation(2, {500, 30'000});
  rotation.FailOver(0);
  rotation.FailOver(0);
  rotation.FailOver(0);
  EXPECT_EQ(rotation.FailOver(0), 1000);  // the second round failed whole too
  rotation.Progressed();  // central 0 acknowledged new events
  EXPECT_EQ(rotation.failures_since_progress(), 0);
  EXPECT_EQ(rotation.FailOver(5000), 5000);
  EXPECT_EQ(rotation.current(), 1u);
  EXPECT_EQ(rotation.FailOver(5000), 5500);  // the back-off starts again from the first
  EXPECT_EQ(rotation.failovers(), 6);
}

}  // namespace
}  // namespace storepulse::edge
