#include "edge/group_commit_writer.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <limits>
#include <mutex>
#include <thread>

#include "tests/integration/test_events.h"
#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

TEST(GroupCommitWriterTest, ConcurrentProducersGetEveryEventNumberedOnce) {
  test_support::TempDir dir;
  auto zone = common::TimeZone::Load("UTC");
  auto store = EventStore::Open(dir.path(), "S1", *zone, Durability::kNormal);
  ASSERT_TRUE(store.ok());
  common::SystemClock clock;
  DiskGuard disk(dir.path(), 0, 0, clock);
  GroupCommitWriter writer(**store, disk, clock);
  std::vector<std::thread> producers;
  std::vector<std::vector<int64_t>> seqs(4);
  for (int p = 0; p < 4; ++p) {
    producers.emplace_back([&, p] {
      for (int b = 0; b < 25; ++b) {
        auto result = writer.Write(test_support::Sales(
            "p" + std::to_string(p) + "b" + std::to_string(b), 40));
        ASSERT_TRUE(result.ok());
        for (const auto& o : *result) seqs[p].push_back(o.seq);
      }
    });
  }
  for (auto& t : producers) t.join();
  std::vector<int64_t> all;
  for (const auto& s : seqs) all.insert(all.end(), s.begin(), s.end());
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), 4000u);
  for (size_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i], static_cast<int64_t>(i + 1));
  EXPECT_EQ(writer.committed_seq(), 4000);
}

TEST(GroupCommitWriterTest, RefusesEverythingWhenTheDiskIsBelowTheFloor) {
  test_support::TempDir dir;
  auto zone = common::TimeZone::Load("UTC");
  auto store = EventStore::Open(dir.path(), "S1", *zone, Durability::kNormal);
  ASSERT_TRUE(store.ok());
  common::SystemClock clock;
  DiskGuard disk(dir.path(), UINT64_MAX, 100, clock);
  GroupCommitWriter writer(**store, disk, clock);
  auto result = writer.Write(test_support::Sales("f", 3));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), common::StatusCode::kResourceExhausted);
  EXPECT_EQ(writer.committed_seq(), 0);
}

TEST(GroupCommitWriterTest, RefusesWorkAfterStop) {
  test_support::TempDir dir;
  auto zone = common::TimeZone::Load("UTC");
  auto store = EventStore::Open(dir.path(), "S1", *zone, Durability::kNormal);
  ASSERT_TRUE(store.ok());
  common::SystemClock clock;
  DiskGuard disk(dir.path(), 0, 0, clock);
  GroupCommitWriter writer(**store, disk, clock);
  writer.Stop();
  auto result = writer.Write(test_support::Sales("late", 1));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), common::StatusCode::kUnavailable);
}

// A clock whose first reading, once armed, waits until the test opens the gate: the writer is then
// held inside a commit while the test queues the next batches, which form one group.
class GateClock final : public common::Clock {
 public:
  int64_t NowMs() const override {
    std::unique_lock lock(mu_);
    if (armed_) {
      armed_ = false;
      entered_ = true;
      changed_.notify_all();
      changed_.wait(lock, [&] { return open_; });
    }
    return system_.NowMs();
  }
  void Arm() {
    std::lock_guard lock(mu_);
    armed_ = true;
  }
  void WaitEntered() {
    std::unique_lock lock(mu_);
    ASSERT_TRUE(changed_.wait_for(lock, std::chrono::seconds(10), [&] { return entered_; }));
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  common::SystemClock system_;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  mutable bool armed_ = false, entered_ = false;
  bool open_ = false;
};

TEST(GroupCommitWriterTest, AnOverflowingBatchIsRefusedAloneNotWithItsGroup) {
  test_support::TempDir dir;
  auto zone = common::TimeZone::Load("UTC");
  auto store = EventStore::Open(dir.path(), "S1", *zone, Durability::kNormal);
  ASSERT_TRUE(store.ok());
  common::SystemClock system;
  GateClock clock;
  DiskGuard disk(dir.path(), 0, 0, system);
  GroupCommitWriter writer(**store, disk, clock);
  const int64_t ts = test_support::NowMs() - 3600 * 1000;
  ASSERT_TRUE(writer.Write({test_support::Sale("seed", 1, 100, common::Channel::kStore, ts)}).ok());
  {  // That bucket and its day are 50 minor units from the top.
    SQLite::Database db(EdgeDatabasePath(dir.path()), SQLite::OPEN_READWRITE);
    db.exec("UPDATE measures_15m SET gross_sales = 9223372036854775757");
    db.exec("UPDATE measures_day SET gross_sales = 9223372036854775757");
  }
  using Result = common::StatusOr<std::vector<AppendOutcome>>;
  auto submit = [&](std::vector<common::Event> events) {
    auto promise = std::make_shared<std::promise<Result>>();
    writer.Submit(std::move(events), [promise](Result r) { promise->set_value(std::move(r)); });
    return promise->get_future();
  };
  clock.Arm();
  auto first =
      submit({test_support::Sale("first", 1, 100, common::Channel::kStore, ts - 86'400'000)});
  clock.WaitEntered();  // the writer holds `first` in its transaction: the next two queue up
  auto overflowing = submit({test_support::Sale("over", 1, 100, common::Channel::kStore, ts)});
  auto innocent =
      submit({test_support::Sale("fine", 1, 100, common::Channel::kStore, ts - 172'800'000)});
  clock.Open();
  ASSERT_TRUE(first.get().ok());
  Result refused = overflowing.get();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), common::StatusCode::kOutOfRange);
  EXPECT_NE(refused.status().message().find("gross_sales of store S1"), std::string::npos)
      << refused.status().message();
  Result accepted = innocent.get();
  ASSERT_TRUE(accepted.ok()) << accepted.status().message();
  EXPECT_EQ((*accepted)[0].seq, 3);
  EXPECT_EQ(writer.committed_seq(), 3);
}

}  // namespace
}  // namespace storepulse::edge
