// Central's single writer: applies the batches of every connected edge in groups, one
// transaction of the store of record per group (central/log_store.h), and reports each batch's
// outcome only after the commit that made it durable — the moment central may acknowledge it.
// With central.db the views follow: each commit is reported to the view pass, and a group waits
// while the pass is too far behind (ViewPass::Throttle). Thread-safe Submit; one worker thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include "central/log_store.h"
#include "common/group_worker.h"
#include "common/time_util.h"

namespace storepulse::central {

class BatchApplier {
 public:
  using Done = std::function<void(common::StatusOr<ApplyOutcome>)>;

  // Around each group, on the worker thread: `before` (may wait), `committed` after its commit.
  struct Hooks {
    std::function<void()> before;
    std::function<void()> committed;
  };
  BatchApplier(LogStore& store, const common::Clock& clock, Hooks hooks = {});
  ~BatchApplier();

  void Submit(StreamBatch batch, Done done);
  void Stop();

  int64_t events_applied() const { return events_applied_; }
  int64_t groups_committed() const { return groups_committed_; }

 private:
  struct Pending {
    StreamBatch batch;
    Done done;
  };
  void ApplyGroup(std::vector<Pending>& group);
  LogStore& store_;
  const common::Clock& clock_;
  Hooks hooks_;
  std::atomic<int64_t> events_applied_{0};
  std::atomic<int64_t> groups_committed_{0};
  std::unique_ptr<common::GroupWorker<Pending>> worker_;  // last: its thread uses the above
};

}  // namespace storepulse::central
