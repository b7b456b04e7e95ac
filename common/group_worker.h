// A thread that drains a queue in groups: everything queued while it processed the previous group
// becomes the next group (up to a size budget). The base of group commit at the edge and at
// central: one transaction, one fsync per group.
//
// An optional `quiet` callback runs on the worker thread once the queue has stayed empty for a
// second after some work: the moment to give a burst's memory back.
//
// Thread-safe: Push from any thread. Stop() finishes the group in flight, hands each item still
// queued (or pushed afterwards) to `refuse`, and joins.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace storepulse::common {

template <typename Item>
class GroupWorker {
 public:
  using Process = std::function<void(std::vector<Item>& group)>;
  using Refuse = std::function<void(Item& item)>;
  using Size = std::function<size_t(const Item& item)>;
  using Quiet = std::function<void()>;

  // `size` weighs an item against `max_group_size` (a group always takes at least one item).
  GroupWorker(Process process, Refuse refuse, Size size, size_t max_group_size, Quiet quiet = {})
      : process_(std::move(process)),
        refuse_(std::move(refuse)),
        size_(std::move(size)),
        quiet_(std::move(quiet)),
        max_group_size_(max_group_size),
        thread_([this] { Run(); }) {}
  ~GroupWorker() { Stop(); }
  GroupWorker(const GroupWorker&) = delete;
  GroupWorker& operator=(const GroupWorker&) = delete;

  void Push(Item item) {
    {
      std::lock_guard lock(mu_);
      if (!stopping_) {
        queue_.push_back(std::move(item));
        wake_.notify_one();
        return;
      }
    }
    refuse_(item);
  }

  void Stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
      wake_.notify_one();
    }
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Run() {
    std::vector<Item> group;
    bool worked = false;  // since the last quiet callback
    for (;;) {
      {
        std::unique_lock lock(mu_);
        auto ready = [&] { return stopping_ || !queue_.empty(); };
        if (worked && quiet_) {
          if (!wake_.wait_for(lock, std::chrono::seconds(1), ready)) {
            worked = false;
            lock.unlock();
            quiet_();
            continue;
          }
        } else {
          wake_.wait(lock, ready);
        }
        if (stopping_) {
          for (Item& item : queue_) refuse_(item);
          queue_.clear();
          return;
        }
        size_t size = 0;
        while (!queue_.empty() && (group.empty() || size < max_group_size_)) {
          size += size_(queue_.front());
          group.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      process_(group);
      group.clear();
      worked = true;
    }
  }

  Process process_;
  Refuse refuse_;
  Size size_;
  Quiet quiet_;
  size_t max_group_size_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Item> queue_;  // guarded by mu_
  bool stopping_ = false;   // guarded by mu_
  std::thread thread_;      // last: starts after everything above is built
};

}  // namespace storepulse::common
