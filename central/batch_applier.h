// Central's single writer: applies the batches of every connected edge in groups, one SQLite
// transaction per group, and reports each batch's outcome only after the commit that made it
// durable — the moment central may acknowledge it. The views follow: each commit is reported to
// the view pass, and a group waits while the pass is too far behind (ViewPass::Throttle).
// Thread-safe Submit; one worker thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include "central/central_store.h"
#include "common/group_worker.h"
#include "common/time_util.h"

namespace storepulse::central {

class BatchApplier {
 public:
  using Done = std::function<void(common::StatusOr<ApplyOutcome>)>;

  // `views` may be null (no view pass: tests of the log alone).
  BatchApplier(CentralStore& store, const common::Clock& clock, common::ViewPass* views = nullptr);
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
  // The group's one transaction, ended when this returns — committed, or rolled back with the
  // write gate released — so that no edge is answered while it is open.
  common::Status Store(const std::vector<Pending>& group, std::vector<ApplyOutcome>* outcomes);

  CentralStore& store_;
  const common::Clock& clock_;
  common::ViewPass* views_;
  std::atomic<int64_t> events_applied_{0};
  std::atomic<int64_t> groups_committed_{0};
  std::unique_ptr<common::GroupWorker<Pending>> worker_;  // last: its thread uses the above
};

}  // namespace storepulse::central
