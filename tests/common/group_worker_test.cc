#include "common/group_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

namespace storepulse::common {
namespace {

using namespace std::chrono_literals;

// Polls `done` every 10 ms for at most `limit`.
template <typename Predicate>
bool WaitFor(Predicate done, std::chrono::milliseconds limit) {
  for (auto end = std::chrono::steady_clock::now() + limit;
       std::chrono::steady_clock::now() < end; std::this_thread::sleep_for(10ms)) {
    if (done()) return true;
  }
  return done();
}

GroupWorker<int>::Size One() {
  return [](const int&) { return size_t{1}; };
}

TEST(GroupWorkerTest, WhatQueuesDuringAGroupBecomesTheNextGroupWithinTheBudget) {
  std::promise<void> started, release;
  std::shared_future<void> released = release.get_future().share();
  std::mutex mu;
  std::vector<std::vector<int>> groups;
  GroupWorker<int> worker(
      [&](std::vector<int>& group) {
        if (group.front() == 0) started.set_value(), released.wait();  // holds the first group
        std::lock_guard lock(mu);
        groups.push_back(group);
      },
      [](int&) {}, One(), 3);
  worker.Push(0);
  started.get_future().wait();
  for (int i = 1; i <= 5; ++i) worker.Push(i);
  release.set_value();
  ASSERT_TRUE(WaitFor([&] { std::lock_guard lock(mu); return groups.size() == 3; }, 5000ms));
  std::lock_guard lock(mu);
  EXPECT_EQ(groups, (std::vector<std::vector<int>>{{0}, {1, 2, 3}, {4, 5}}));
}

TEST(GroupWorkerTest, StopRefusesWhatIsStillQueuedAndWhatIsPushedAfterwards) {
  std::promise<void> started, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> processed{0}, refused{0};
  GroupWorker<int> worker(
      [&](std::vector<int>& group) {
        if (group.front() == 1) started.set_value(), released.wait();
        processed += static_cast<int>(group.size());
      },
      [&](int&) { ++refused; }, One(), 1);
  worker.Push(1);
  started.get_future().wait();
  worker.Push(2);
  worker.Push(3);
  std::thread stopper([&] { worker.Stop(); });
  release.set_value();
  stopper.join();
  worker.Push(4);
  EXPECT_EQ(processed + refused, 4);  // each item either processed or refused, never dropped
  EXPECT_GE(processed, 1);            // the group in flight is finished
  EXPECT_GE(refused, 1);              // at least the one pushed after Stop
}

TEST(GroupWorkerTest, QuietRunsOnceASecondAfterABurstAndNeverWithoutWork) {
  std::atomic<int> quiet{0}, processed{0};
  GroupWorker<int> worker([&](std::vector<int>& group) { processed += group.size(); },
                          [](int&) {}, One(), 10, [&] { ++quiet; });
  std::this_thread::sleep_for(1200ms);
  EXPECT_EQ(quiet, 0) << "no work, nothing to give back";
  for (int i = 0; i < 20; ++i) worker.Push(i);
  ASSERT_TRUE(WaitFor([&] { return quiet == 1; }, 5000ms));
  EXPECT_EQ(processed, 20);
  std::this_thread::sleep_for(1200ms);
  EXPECT_EQ(quiet, 1) << "once per burst, not once a second";
  worker.Push(99);
  ASSERT_TRUE(WaitFor([&] { return quiet == 2; }, 5000ms));
}

}  // namespace
}  // namespace storepulse::common
