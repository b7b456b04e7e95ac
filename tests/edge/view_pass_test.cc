// The view pass (common/store/view_pass.h) over a real edge database: every committed event is
// folded into the views exactly once, the watermark moves in the same transaction as the views, a
// new pass resumes from the watermark, CatchUp folds at once, Throttle waits at most its bound,
// and the stats say how far behind the pass is.
#include "common/store/view_pass.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "common/store/event_log.h"
#include "edge/event_store.h"
#include "tests/integration/mixed_events.h"
#include "tests/integration/test_events.h"
#include "tests/integration/view_check.h"
#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

using test_support::FigureDifferences;
using test_support::ViewRead;
using Ms = std::chrono::milliseconds;

constexpr int64_t kHourMs = 3'600'000;
constexpr const char* kZone = "Europe/Paris";

int64_t ElapsedMs(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<Ms>(std::chrono::steady_clock::now() - since).count();
}

class ViewPassTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    pass_.reset();
    store_.reset();
    auto opened =
        EventStore::Open(dir_.path(), "S1", *common::TimeZone::Load(kZone), Durability::kNormal);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(opened).value();
  }
  // A pass that folds only when asked (CatchUp) or when a whole group is pending.
  void OpenPass(common::ViewPassOptions options = HeldBack()) {
    auto pass = store_->OpenViewPass(clock_, options);
    ASSERT_TRUE(pass.ok()) << pass.status().message();
    pass_ = std::move(pass).value();
  }
  static common::ViewPassOptions HeldBack() {
    common::ViewPassOptions options;
    options.group_ms = kHourMs;
    return options;
  }
  // Appends `count` new mixed events in one commit and tells the pass (when there is one).
  void Commit(int count) {
    auto events = test_support::MixedEvents("e" + std::to_string(appended_.size()), count,
                                            static_cast<uint32_t>(appended_.size()), now_);
    auto group = store_->BeginGroup();
    ASSERT_TRUE(group.ok());
    std::vector<AppendOutcome> outcomes;
    ASSERT_TRUE(group->Append(events, now_, &outcomes).ok());
    ASSERT_TRUE(group->Commit().ok());
    appended_.insert(appended_.end(), events.begin(), events.end());
    if (pass_) pass_->Committed(store_->info().last_seq);
  }
  int64_t Watermark() {
    SQLite::Database db(store_->path(), SQLite::OPEN_READONLY);
    auto watermark = common::ReadWatermark(db, common::EventLogKind::kEdge);
    EXPECT_TRUE(watermark.ok());
    return watermark.ok() ? *watermark : -1;
  }
  // The figures of the edge database as read now.
  nlohmann::json Figures(ViewRead read) {
    auto db = OpenReadOnly(dir_.path());
    EXPECT_TRUE(db.ok());
    auto figures = test_support::EdgeFigures(**db, read, spec_, now_);
    EXPECT_TRUE(figures.ok()) << figures.status().message();
    return figures.ok() ? *figures : nlohmann::json();
  }
  // The figures of a fresh database holding the first `count` events appended, folded at once.
  nlohmann::json Recomputed(size_t count) {
    test_support::TempDir scratch;
    auto figures = test_support::RecomputeEdge(
        scratch.path(), "S1", kZone, {appended_.begin(), appended_.begin() + count}, spec_, now_);
    EXPECT_TRUE(figures.ok()) << figures.status().message();
    return figures.ok() ? *figures : nlohmann::json();
  }

  test_support::TempDir dir_;
  common::SystemClock clock_;
  const int64_t now_ = test_support::NowMs();
  const test_support::FigureSpec spec_{
      test_support::EveryKpiRequest(now_, false), {}, {"SKU1", "SKU7", "SKU18"}};
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<common::ViewPass> pass_;
  std::vector<common::Event> appended_;
};

TEST_F(ViewPassTest, FoldsEachCommittedEventOnceAndMovesTheWatermarkWithTheViews) {
  OpenPass();
  pass_->Start();
  for (int commit = 1; commit <= 3; ++commit) {
    Commit(40);
    ASSERT_TRUE(pass_->CatchUp(store_->info().last_seq, 10'000).ok());
    EXPECT_EQ(Watermark(), store_->info().last_seq);
    nlohmann::json views = Figures(ViewRead::kViewsAlone);
    EXPECT_EQ(FigureDifferences(views, Recomputed(appended_.size())), "") << "commit " << commit;
  }
  const common::ViewPassStats stats = pass_->stats();
  EXPECT_EQ(stats.folded, 120);
  EXPECT_EQ(stats.committed, 120);
  EXPECT_EQ(stats.events, 120);
  EXPECT_EQ(stats.groups, 3);
  EXPECT_EQ(stats.unfolded_events, 0);
  EXPECT_EQ(stats.last_error, "");
}

TEST_F(ViewPassTest, ANewPassResumesFromTheWatermarkAndFoldsNothingTwice) {
  common::ViewPassOptions options = HeldBack();
  options.max_group_events = 10;
  OpenPass(options);
  pass_->Start();
  Commit(45);
  // Groups of 10: the pass stops at 40, 5 short of a whole group.
  ASSERT_TRUE(pass_->CatchUp(40, 10'000).ok());
  EXPECT_EQ(pass_->stats().folded, 40);
  EXPECT_EQ(pass_->stats().groups, 4);
  Reopen();  // the pass stops and the database closes with 5 events unfolded, as in a restart
  EXPECT_EQ(Watermark(), 40);
  EXPECT_EQ(FigureDifferences(Figures(ViewRead::kViewsAlone), Recomputed(40)), "");
  const nlohmann::json all = Recomputed(45);
  EXPECT_EQ(FigureDifferences(Figures(ViewRead::kViewsAndTail), all), "");

  OpenPass(options);
  EXPECT_EQ(pass_->stats().folded, 40);  // read from the watermark, not from zero
  EXPECT_EQ(pass_->stats().committed, 45);
  pass_->Start();
  ASSERT_TRUE(pass_->CatchUp(45, 10'000).ok());
  EXPECT_EQ(pass_->stats().events, 5);
  EXPECT_EQ(Watermark(), 45);
  EXPECT_EQ(FigureDifferences(Figures(ViewRead::kViewsAlone), all), "");
}

TEST_F(ViewPassTest, CatchUpFoldsAtOnceAndSaysWhenItCannot) {
  OpenPass();  // groups gather for an hour
  pass_->Start();
  Commit(20);
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(pass_->CatchUp(20, 10'000).ok());
  EXPECT_LT(ElapsedMs(start), 5'000);
  EXPECT_EQ(Watermark(), 20);

  start = std::chrono::steady_clock::now();
  common::Status beyond = pass_->CatchUp(25, 200);  // not in the log
  EXPECT_FALSE(beyond.ok());
  EXPECT_NE(beyond.message().find("did not reach position 25 within 200 ms"), std::string::npos)
      << beyond.message();
  EXPECT_GE(ElapsedMs(start), 200);
  EXPECT_LT(ElapsedMs(start), 5'000);

  pass_->Stop();
  Commit(1);
  start = std::chrono::steady_clock::now();
  common::Status stopped = pass_->CatchUp(21, 10'000);
  EXPECT_FALSE(stopped.ok());
  EXPECT_NE(stopped.message().find("stopped"), std::string::npos) << stopped.message();
  EXPECT_LT(ElapsedMs(start), 5'000);  // answered at once, not after the timeout
}

TEST_F(ViewPassTest, ThrottleWaitsAtMostItsBoundAndNoLongerThanThePassIsBehind) {
  common::ViewPassOptions options = HeldBack();
  options.max_pending_events = 10;
  options.max_throttle_ms = 300;
  OpenPass(options);  // not started: nothing folds
  Commit(9);
  auto start = std::chrono::steady_clock::now();
  pass_->Throttle();  // 9 pending: no wait
  EXPECT_LT(ElapsedMs(start), 250);

  Commit(11);  // 20 pending
  start = std::chrono::steady_clock::now();
  pass_->Throttle();
  EXPECT_GE(ElapsedMs(start), 300);
  EXPECT_LT(ElapsedMs(start), 3'000);

  // A writer waiting with a long bound goes on as soon as the pass has caught up.
  options.max_throttle_ms = 20'000;
  OpenPass(options);
  EXPECT_EQ(pass_->stats().committed - pass_->stats().folded, 20);
  start = std::chrono::steady_clock::now();
  auto writer = std::async(std::launch::async, [&] { pass_->Throttle(); });
  EXPECT_EQ(writer.wait_for(Ms(100)), std::future_status::timeout);  // it waits
  pass_->Start();
  ASSERT_TRUE(pass_->CatchUp(20, 10'000).ok());
  ASSERT_EQ(writer.wait_for(Ms(10'000)), std::future_status::ready);
  EXPECT_LT(ElapsedMs(start), 10'000);
}

TEST_F(ViewPassTest, StatsTellWhatIsPendingAndHowLongTheFoldedEventsWaited) {
  common::FakeClock clock(1'000'000);
  auto pass = store_->OpenViewPass(clock, HeldBack());
  ASSERT_TRUE(pass.ok());
  pass_ = std::move(pass).value();
  pass_->Start();
  Commit(10);  // reported at 1,000,000
  nlohmann::json json = common::ViewPassJson(pass_->stats());
  EXPECT_EQ(json["folded"], 0);
  EXPECT_EQ(json["pending_events"], 10);
  EXPECT_EQ(json["last_error"], nullptr);

  clock.Set(1'000'750);
  ASSERT_TRUE(pass_->CatchUp(10, 10'000).ok());
  const common::ViewPassStats stats = pass_->stats();
  EXPECT_EQ(stats.folded, 10);
  EXPECT_EQ(stats.last_lag_ms, 750);
  EXPECT_EQ(stats.recent_lags_ms, std::vector<int64_t>{750});
  json = common::ViewPassJson(stats);
  EXPECT_EQ(json["pending_events"], 0);
  EXPECT_EQ(json["lag_ms"], 750);
  const std::string metrics = common::ViewPassMetrics(json, "storepulse_edge_");
  EXPECT_NE(metrics.find("\nstorepulse_edge_views_folded 10\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("\nstorepulse_edge_views_pending_events 0\n"), std::string::npos);
  EXPECT_NE(metrics.find("\nstorepulse_edge_views_lag_seconds 0.75\n"), std::string::npos);
  EXPECT_NE(metrics.find("\nstorepulse_edge_views_unfolded_events 0\n"), std::string::npos);
  EXPECT_EQ(common::ViewPassMetrics(nullptr, "storepulse_edge_"), "");
  pass_.reset();  // before the clock it reads
}

}  // namespace
}  // namespace storepulse::edge
