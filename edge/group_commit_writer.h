// The edge's single writer: a thread that owns the EventStore and commits the batches of all
// concurrent producers together — one transaction and one fsync for everything queued while the
// previous commit ran (group commit). A batch's callback runs on the writer thread after the
// commit that made it durable, or with the error that refused it; nothing is acknowledged before.
// The views follow: each commit is reported to the view pass, and a commit waits while the pass
// is too far behind (ViewPass::Throttle).
//
// Thread-safe: Submit may be called from any thread. Stop() (or the destructor) finishes the
// group in flight, refuses what is still queued, and joins the thread.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "common/event.h"
#include "common/group_worker.h"
#include "common/status.h"
#include "edge/disk_guard.h"
#include "edge/event_store.h"

namespace storepulse::edge {

class GroupCommitWriter {
 public:
  using Done = std::function<void(common::StatusOr<std::vector<AppendOutcome>>)>;

  // `views` may be null (no view pass: tests of the log alone).
  GroupCommitWriter(EventStore& store, DiskGuard& disk, const common::Clock& clock,
                    common::ViewPass* views = nullptr);
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Queues `events` (already validated). `done` runs exactly once.
  void Submit(std::vector<common::Event> events, Done done);
  // Blocking convenience wrapper around Submit.
  common::StatusOr<std::vector<AppendOutcome>> Write(std::vector<common::Event> events);
  // Makes the store start a new replication stream (EventStore::StartNewIncarnation), on the
  // writer thread between two groups; blocks until done. The new incarnation.
  common::StatusOr<std::string> StartNewIncarnation(const std::string& reason);
  // One retention step (EventStore::Prune), on the writer thread between two groups; blocks
  // until done.
  common::StatusOr<PruneStep> Prune(int64_t max_seq, int64_t older_than_ms, size_t max_rows);
  // A reference document (EventStore::WriteReference), on the writer thread between two groups;
  // blocks until done.
  common::Status WriteReference(std::function<common::Status(SQLite::Database&)> write);
  void Stop();

  // Sequence number of the last committed event (for status and replication).
  int64_t committed_seq() const;
  // The store's identity as of the last change: incarnation and why it last changed.
  StoreInfo info() const;

 private:
  struct Pending {
    std::vector<common::Event> events;
    Done done;
    std::function<common::Status()> task;  // instead of events: other work of the writer
  };
  // Runs `task` on the writer thread between two groups and waits for it.
  common::Status RunOnWriter(std::function<common::Status()> task);
  void CommitGroup(std::vector<Pending>& group);
  // The group's one transaction, ended when this returns — committed, or rolled back with the
  // write gate released — so that no producer is answered while it is open.
  common::Status Store(const std::vector<common::Event>& events,
                       std::vector<AppendOutcome>* outcomes);
  void Committed();  // publishes the store's last seq as committed, to readers and the views

  EventStore& store_;
  DiskGuard& disk_;
  const common::Clock& clock_;
  common::ViewPass* views_;
  mutable std::mutex mu_;
  int64_t committed_seq_ = 0;  // guarded by mu_
  StoreInfo info_;             // guarded by mu_
  std::unique_ptr<common::GroupWorker<Pending>> worker_;  // last: its thread uses the above
};

}  // namespace storepulse::edge
