#include "central/central_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <stdexcept>

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
    return ApplyBatch(StreamBatch{{"S1", incarnation}, first_seq, std::move(events)});
  }
  // One batch of another store, from seq 1.
  ApplyOutcome ApplyOf(const std::string& store, const std::string& incarnation,
                       std::vector<common::Event> events) {
    return ApplyBatch(StreamBatch{{store, incarnation}, 1, std::move(events)});
  }
  // `batch` alone in one committed group.
  ApplyOutcome ApplyBatch(const StreamBatch& batch) {
    auto group = store_->BeginGroup();
    if (!group.ok()) {
      ADD_FAILURE() << group.status().message();
      return {};
    }
    auto outcome = group->Apply(batch, 1);
    EXPECT_TRUE(outcome.ok());
    EXPECT_TRUE(group->Commit().ok());
    return outcome.ok() ? *outcome : ApplyOutcome{};
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
  {
    auto group = store_->BeginGroup();
    ASSERT_TRUE(group.ok());
    ASSERT_TRUE(group->Apply(StreamBatch{{"S1", "i1"}, 4, test_support::Sales("q", 2)}, 1).ok());
  }  // ends without Commit: rolled back
  EXPECT_EQ(store_->AckedSeq({"S1", "i1"}), 3);
  store_.reset();
  auto reopened = CentralStore::Open(dir_.path(), false);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->AckedSeq({"S1", "i1"}), 3);
  EXPECT_EQ((*reopened)->AckedSeq({"S1", "other"}), 0);
}

// A group that ends without Commit — the applier's early return on an error, an exception —
// writes nothing, leaves the positions as committed and releases the write gate: the view pass
// (which takes the gate) folds right away, and another connection may write.
TEST_F(CentralStoreTest, AGroupEndedWithoutCommitWritesNothingAndReleasesTheGate) {
  common::SystemClock clock;
  auto zone = common::TimeZone::Load("UTC");
  ASSERT_TRUE(zone.ok());
  auto views = store_->OpenViewPass(
      [&](const std::string&) {
        return common::StoreContext{"north", *zone};
      },
      clock, {});
  ASSERT_TRUE(views.ok());
  (*views)->Start();
  Apply("i1", 1, test_support::Sales("first", 2));
  const int64_t log_end = store_->log_end();
  auto apply_then_fail = [&]() -> common::Status {
    ASSIGN_OR_RETURN(CentralStore::Group group, store_->BeginGroup());
    RETURN_IF_ERROR(
        group.Apply(StreamBatch{{"S1", "i1"}, 3, test_support::Sales("early", 3)}, 1).status());
    return common::Unavailable("a failure after the batch");
  };
  EXPECT_EQ(apply_then_fail().code(), common::StatusCode::kUnavailable);
  EXPECT_THROW(
      {
        auto group = store_->BeginGroup();
        ASSERT_TRUE(group.ok());
        ASSERT_TRUE(
            group->Apply(StreamBatch{{"S2", "i1"}, 1, test_support::Sales("thrown", 3)}, 1).ok());
        throw std::runtime_error("thrown after the batch");
      },
      std::runtime_error);
  EXPECT_EQ(store_->AckedSeq({"S1", "i1"}), 2);
  EXPECT_EQ(store_->AckedSeq({"S2", "i1"}), 0);
  EXPECT_EQ(store_->log_end(), log_end);
  SQLite::Database other(CentralDatabasePath(dir_.path()), SQLite::OPEN_READWRITE);
  EXPECT_EQ(other.tryExec("BEGIN IMMEDIATE"), SQLITE_OK) << "the write transaction is still open";
  other.tryExec("ROLLBACK");
  (*views)->Committed(log_end);
  common::Status caught_up = (*views)->CatchUp(log_end, 5'000);
  EXPECT_TRUE(caught_up.ok()) << "the view pass could not take the write gate: "
                              << caught_up.message();
  ApplyOutcome next = Apply("i1", 3, test_support::Sales("kept", 1));
  EXPECT_EQ(next.applied, 1);
  EXPECT_EQ(other.execAndGet("SELECT group_concat(id) FROM (SELECT id FROM events ORDER BY rowid)")
                .getString(),
            "first-0,first-1,kept-0");
}

}  // namespace
}  // namespace storepulse::central
