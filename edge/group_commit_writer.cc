#include "edge/group_commit_writer.h"

#include <malloc.h>

#include <algorithm>
#include <future>
#include <iterator>

namespace storepulse::edge {

namespace {
// A group stops growing at this many events so one commit's latency stays bounded.
constexpr size_t kMaxGroupEvents = 50'000;
}  // namespace

GroupCommitWriter::GroupCommitWriter(EventStore& store, DiskGuard& disk,
                                     const common::Clock& clock, common::ViewPass* views)
    : store_(store),
      disk_(disk),
      clock_(clock),
      views_(views),
      committed_seq_(store.info().last_seq),
      info_(store.info()) {
  worker_ = std::make_unique<common::GroupWorker<Pending>>(
      [this](std::vector<Pending>& group) { CommitGroup(group); },
      [](Pending& pending) {
        pending.done(common::Unavailable("the edge is shutting down; send again after it restarts"));
      },
      [](const Pending& pending) { return pending.events.size(); }, kMaxGroupEvents,
      // After a burst, the freed batches and their copies go back to the system (SPEC §8: the
      // edge's RSS < 30 MB at steady state).
      [] { malloc_trim(0); });
}

GroupCommitWriter::~GroupCommitWriter() { Stop(); }

void GroupCommitWriter::Submit(std::vector<common::Event> events, Done done) {
  worker_->Push(Pending{std::move(events), std::move(done), {}});
}

common::StatusOr<std::vector<AppendOutcome>> GroupCommitWriter::Write(
    std::vector<common::Event> events) {
  std::promise<common::StatusOr<std::vector<AppendOutcome>>> promise;
  auto future = promise.get_future();
  Submit(std::move(events), [&promise](auto result) { promise.set_value(std::move(result)); });
  return future.get();
}

common::StatusOr<std::string> GroupCommitWriter::StartNewIncarnation(const std::string& reason) {
  RETURN_IF_ERROR(RunOnWriter([this, reason] {
    RETURN_IF_ERROR(store_.StartNewIncarnation(reason, clock_.NowMs()));
    std::lock_guard lock(mu_);
    info_ = store_.info();
    return common::OkStatus();
  }));
  return info().incarnation;
}

common::StatusOr<PruneStep> GroupCommitWriter::Prune(int64_t max_seq, int64_t older_than_ms,
                                                     size_t max_rows) {
  PruneStep done;
  RETURN_IF_ERROR(RunOnWriter([&] {
    ASSIGN_OR_RETURN(done, store_.Prune(max_seq, older_than_ms, max_rows));
    return common::OkStatus();
  }));
  return done;
}

common::Status GroupCommitWriter::WriteReference(
    std::function<common::Status(SQLite::Database&)> write) {
  return RunOnWriter([this, &write] { return store_.WriteReference(write); });
}

common::Status GroupCommitWriter::RunOnWriter(std::function<common::Status()> task) {
  std::promise<common::Status> promise;
  auto future = promise.get_future();
  Pending pending;
  pending.task = std::move(task);
  pending.done = [&promise](auto result) { promise.set_value(result.status()); };
  worker_->Push(std::move(pending));
  return future.get();
}

void GroupCommitWriter::Stop() { worker_->Stop(); }

StoreInfo GroupCommitWriter::info() const {
  std::lock_guard lock(mu_);
  StoreInfo info = info_;
  info.last_seq = committed_seq_;
  return info;
}

int64_t GroupCommitWriter::committed_seq() const {
  std::lock_guard lock(mu_);
  return committed_seq_;
}

void GroupCommitWriter::CommitGroup(std::vector<Pending>& group) {
  // Tasks run alone, between commits; the events of the group are committed without them.
  auto is_task = [](const Pending& pending) { return static_cast<bool>(pending.task); };
  auto tasks = std::stable_partition(group.begin(), group.end(), is_task);
  for (auto it = group.begin(); it != tasks; ++it) {
    common::Status status = it->task();
    if (status.ok()) {
      it->done(std::vector<AppendOutcome>{});
    } else {
      it->done(status);
    }
  }
  group.erase(group.begin(), tasks);
  if (group.empty()) return;
  auto fail_all = [&](const common::Status& status) {
    for (auto& pending : group) pending.done(status);
  };
  if (common::Status room = disk_.CheckRoom(); !room.ok()) return fail_all(room);
  if (views_ != nullptr) views_->Throttle();
  std::vector<common::Event> events;
  std::vector<size_t> sizes;
  for (Pending& pending : group) {
    sizes.push_back(pending.events.size());
    events.insert(events.end(), std::make_move_iterator(pending.events.begin()),
                  std::make_move_iterator(pending.events.end()));
    std::vector<common::Event>().swap(pending.events);  // the moved-from shells, freed now
  }
  std::vector<AppendOutcome> outcomes;
  if (common::Status stored = Store(events, &outcomes); !stored.ok()) return fail_all(stored);
  Committed();
  auto next = outcomes.begin();
  for (size_t i = 0; i < group.size(); ++i) {
    auto end = next + static_cast<std::ptrdiff_t>(sizes[i]);
    group[i].done(std::vector<AppendOutcome>(next, end));
    next = end;
  }
}

common::Status GroupCommitWriter::Store(const std::vector<common::Event>& events,
                                        std::vector<AppendOutcome>* outcomes) {
  ASSIGN_OR_RETURN(EventStore::Group transaction, store_.BeginGroup());
  RETURN_IF_ERROR(transaction.Append(events, clock_.NowMs(), outcomes));
  return transaction.Commit();
}

void GroupCommitWriter::Committed() {
  const int64_t seq = store_.info().last_seq;
  {
    std::lock_guard lock(mu_);
    committed_seq_ = seq;
  }
  if (views_ != nullptr) views_->Committed(seq);
}

}  // namespace storepulse::edge
