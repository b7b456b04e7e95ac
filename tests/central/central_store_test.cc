#include "central/central_store.h"

#include <gtest/gtest.h>

#include "tests/integration/test_events.h"
#include "tests/support/temp_dir.h"

namespace storepulse::central {
namespace {

class CentralStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = CentralStore::Open(dir_.path(), false);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(opened).value();
  }
  ApplyOutcome Apply(const std::string& incarnation, int64_t first_seq,
                     std::vector<common::Event> events) {
    EXPECT_TRUE(store_->Begin().ok());
    auto outcome =
        store_->Apply(
            StreamBatch{{"S1", incarnation}, first_seq, std::move(events)}, 1);
    EXPECT_TRUE(outcome.ok());
    EXPECT_TRUE(store_->Commit().ok());
    return *outcome;
  }
  // One batch of another store, from seq 1.
  ApplyOutcome ApplyOf(const std::string& store, const std::string& incarnation,
                       std::vector<common::Event> events) {
    EXPECT_TRUE(store_->Begin().ok());
    auto outcome =
        store_->Apply(StreamBatch{{store, incarnation}, 1, std::move(events)}, 1);
    EXPECT_TRUE(outcome.ok());
    EXPECT_TRUE(store_->Commit().ok());
    return *outcome;
  }
  test_support::TempDir dir_;
  std::unique_ptr<CentralStore> store_;
};

TEST_F(CentralStoreTest, ReplayAndOverlapAreSkippedAndAGapAppliesNothing) {
  auto events = test_support::Sales("c", 20);
  ApplyOutcome first = Apply("i1", 1, {events.begin(), events.begin() + 10});
  EXPECT_EQ(first.acked_seq, 10);
  EXPECT_EQ(first.applied, 10);
  ApplyOutcome replay = Apply("i1", 1, {events.begin(), events.begin() + 10});
  EXPECT_EQ(replay.applied, 0);
  EXPECT_EQ(replay.skipped, 10);
  EXPECT_EQ(replay.acked_seq, 10);
  ApplyOutcome overlap = Apply("i1", 6, {events.begin() + 5, events.begin() + 15});
  EXPECT_EQ(overlap.applied, 5);
  EXPECT_EQ(overlap.acked_seq, 15);
  ApplyOutcome gap = Apply("i1", 18, {events.begin() + 17, events.end()});
  EXPECT_TRUE(gap.gap);
  EXPECT_EQ(gap.applied, 0);
  EXPECT_EQ(store_->AckedSeq({"S1", "i1"}), 15);
}

TEST_F(CentralStoreTest, AnIdSeenOnAnotherStreamOfTheStoreCountsOnce) {
  auto events = test_support::Sales("r", 4);
  Apply("old", 1, events);
  ApplyOutcome fresh = Apply("new", 1, {events[0], events[1]});
  EXPECT_EQ(fresh.applied, 0);
  EXPECT_EQ(fresh.skipped, 2);
  EXPECT_EQ(fresh.acked_seq, 2);  // the new stream moves on all the same
}

TEST_F(CentralStoreTest, PositionsSurviveAReopenAndARollbackLeavesThemAlone) {
  Apply("i1", 1, test_support::Sales("p", 3));
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->Apply(StreamBatch{{"S1", "i1"}, 4, test_support::Sales("q", 2)}, 1)
                  .ok());
  store_->Rollback();
  EXPECT_EQ(store_->AckedSeq({"S1", "i1"}), 3);
  store_.reset();
  auto reopened = CentralStore::Open(dir_.path(), false);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->AckedSeq({"S1", "i1"}), 3);
  EXPECT_EQ((*reopened)->AckedSeq({"S1", "other"}), 0);
}

}  // namespace
}  // namespace storepulse::central
