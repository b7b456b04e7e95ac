// Central's single writer: applies the batches of every connected edge in groups, one SQLite
// transaction per group, and reports each batch's outcome only after the commit that made it
// durable — the moment central may acknowledge it. A batch that would take its store's totals past
// the int64 range is refused (OutOfRange); the other batches of its group are then reported
// Unavailable, to be sent again. Thread-safe Submit; one worker thread.
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

  BatchApplier(CentralStore& store, const common::Clock& clock);
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

  CentralStore& store_;
  const common::Clock& clock_;
  std::atomic<int64_t> events_applied_{0};
  std::atomic<int64_t> groups_committed_{0};
  std::unique_ptr<common::GroupWorker<Pending>> worker_;  // last: its thread uses the above
};

}  // namespace storepulse::central
