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

}  // namespace
}  // namespace storepulse::edge
