// The retention pruner: only what the safe bound allows (acknowledged by central, folded into the
// views), only what the clock has made old, in bounded steps on the writer thread between ingest
// groups, and seqs that stay gap-free while producers keep writing.
#include "edge/retention_pruner.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "edge/disk_guard.h"
#include "edge/event_store.h"
#include "edge/group_commit_writer.h"
#include "tests/integration/test_events.h"
#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

constexpr int64_t kDayMs = 86'400'000;
const int64_t kStart = *common::ParseRfc3339("2026-01-10T12:00:00Z");

// Polls `condition` every 5 ms for at most 10 s.
bool WaitFor(const std::function<bool()>& condition) {
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

class RetentionPrunerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store =
        EventStore::Open(dir_.path(), "S1", *common::TimeZone::Load("UTC"), Durability::kNormal);
    ASSERT_TRUE(store.ok());
    store_ = std::move(store).value();
    auto views = store_->OpenViewPass(clock_, common::ViewPassOptions{0});
    ASSERT_TRUE(views.ok());
    views_ = std::move(views).value();
    views_->Start();
    writer_ = std::make_unique<GroupCommitWriter>(*store_, disk_, clock_, views_.get());
  }
  void TearDown() override {
    writer_->Stop();
    views_->Stop();
  }

  // What may go: acknowledged and folded (the test waits for the fold, as time would).
  int64_t Bound() {
    EXPECT_TRUE(views_->CatchUp(writer_->committed_seq(), 10'000).ok());
    return std::min<int64_t>(acknowledged_, views_->folded());
  }

  // A pruner of 90 days over the writer, with steps of `step_rows`; each step is counted.
  std::unique_ptr<RetentionPruner> Pruner(size_t step_rows, int64_t poll_ms = 1000) {
    RetentionOptions options;
    options.step_rows = step_rows;
    options.poll_ms = poll_ms;
    return std::make_unique<RetentionPruner>(
        options,
        [this](int64_t max_seq, int64_t older_than_ms, size_t max_rows) {
          auto step = writer_->Prune(max_seq, older_than_ms, max_rows);
          if (step.ok()) {
            EXPECT_LE(step->pruned, static_cast<int64_t>(max_rows));
            steps_++;
          }
          return step;
        },
        [this] { return Bound(); }, clock_);
  }

  test_support::TempDir dir_;
  common::FakeClock clock_{kStart};
  DiskGuard disk_{dir_.path(), 0, 0, clock_};
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<common::ViewPass> views_;
  std::unique_ptr<GroupCommitWriter> writer_;
  std::atomic<int64_t> acknowledged_{0};
  std::atomic<int> steps_{0};
};

TEST_F(RetentionPrunerTest, NothingCentralHasNotAcknowledgedIsPrunedWhateverItsAge) {
  ASSERT_TRUE(writer_->Write(test_support::Sales("a", 100, kStart)).ok());
  clock_.Set(kStart + 400 * kDayMs);
  auto pruner = Pruner(1000);
  auto pruned = pruner->RunPass();
  ASSERT_TRUE(pruned.ok()) << pruned.status().message();
  EXPECT_EQ(*pruned, 0);
  acknowledged_ = 40;
  EXPECT_EQ(*pruner->RunPass(), 40);
  EXPECT_EQ(pruner->Status().pruned_through, 40);
  acknowledged_ = 100;
  EXPECT_EQ(*pruner->RunPass(), 59);  // the newest event stays
  EXPECT_EQ(pruner->Status().events_pruned, 99);
  EXPECT_EQ(pruner->Status().oldest_kept_received_ms, kStart);
}

TEST_F(RetentionPrunerTest, EventsGoOnlyOnceTheClockMadeThemOlderThanTheRetention) {
  ASSERT_TRUE(writer_->Write(test_support::Sales("a", 10, kStart)).ok());
  ASSERT_TRUE(writer_->Write(test_support::Sales("b", 10, kStart)).ok());
  acknowledged_ = 20;
  auto pruner = Pruner(1000);
  clock_.Set(kStart + 90 * kDayMs);  // exactly 90 days: not older than 90 days
  EXPECT_EQ(*pruner->RunPass(), 0);
  clock_.Set(kStart + 90 * kDayMs + 1);
  EXPECT_EQ(*pruner->RunPass(), 19);
}

TEST_F(RetentionPrunerTest, APassTakesBoundedStepsUntilNothingMoreMayGo) {
  ASSERT_TRUE(writer_->Write(test_support::Sales("a", 1000, kStart)).ok());
  acknowledged_ = 1000;
  clock_.Set(kStart + 100 * kDayMs);
  auto pruner = Pruner(64);
  EXPECT_EQ(*pruner->RunPass(), 999);
  EXPECT_EQ(steps_, 16);  // 15 full steps of 64 and the last of 39
}

TEST_F(RetentionPrunerTest, IngestGoesOnDuringAPassAndSeqsStayGapFree) {
  ASSERT_TRUE(writer_->Write(test_support::Sales("old", 3000, kStart)).ok());
  acknowledged_ = 3000;
  clock_.Set(kStart + 100 * kDayMs);
  ASSERT_TRUE(writer_->Write(test_support::Sales("today", 1)).ok());  // seq 3001, young
  auto pruner = Pruner(50);
  std::thread producer([&] {
    for (int b = 0; b < 40; ++b) {
      auto written = writer_->Write(test_support::Sales("new" + std::to_string(b), 25));
      ASSERT_TRUE(written.ok());
      for (size_t i = 0; i < written->size(); ++i) {
        EXPECT_EQ((*written)[i].seq, 3001 + b * 25 + static_cast<int64_t>(i) + 1);
      }
    }
  });
  auto pruned = pruner->RunPass();
  producer.join();
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(*pruned, 3000);
  EXPECT_EQ(writer_->committed_seq(), 4001);
  auto db = OpenReadOnly(dir_.path());
  ASSERT_TRUE(db.ok());
  int64_t expected = 3001;
  ASSERT_TRUE(ForEachEvent(**db, 0, [&](int64_t seq, const common::Event&) {
                EXPECT_EQ(seq, expected++);
              }).ok());
  EXPECT_EQ(expected, 4002);
}

TEST_F(RetentionPrunerTest, TheThreadPassesWhenCentralAcknowledgesMore) {
  ASSERT_TRUE(writer_->Write(test_support::Sales("a", 100, kStart)).ok());
  clock_.Set(kStart + 100 * kDayMs);
  auto pruner = Pruner(1000, /*poll_ms=*/5);
  pruner->Start();
  ASSERT_TRUE(WaitFor([&] { return pruner->Status().passes >= 1; }));
  EXPECT_EQ(pruner->Status().events_pruned, 0);
  acknowledged_ = 50;
  EXPECT_TRUE(WaitFor([&] { return pruner->Status().events_pruned == 50; }))
      << pruner->Status().events_pruned;
  pruner->Stop();
}

TEST_F(RetentionPrunerTest, AFailedStepIsReportedAndTheNextPassTriesAgain) {
  bool fail = true;
  RetentionPruner pruner(
      {},
      [&](int64_t max_seq, int64_t older_than_ms, size_t max_rows) -> common::StatusOr<PruneStep> {
        if (fail) return common::Unavailable("cannot prune old events: database is locked");
        return writer_->Prune(max_seq, older_than_ms, max_rows);
      },
      [] { return 0; }, clock_);
  EXPECT_FALSE(pruner.RunPass().ok());
  EXPECT_EQ(pruner.Status().last_error, "cannot prune old events: database is locked");
  fail = false;
  EXPECT_TRUE(pruner.RunPass().ok());
  EXPECT_EQ(pruner.Status().last_error, "");
}

}  // namespace
}  // namespace storepulse::edge
