#include "central/batch_applier.h"

#include <malloc.h>

namespace storepulse::central {

namespace {
constexpr size_t kMaxGroupEvents = 100'000;
}  // namespace

BatchApplier::BatchApplier(LogStore& store, const common::Clock& clock, Hooks hooks)
    : store_(store), clock_(clock), hooks_(std::move(hooks)) {
  worker_ = std::make_unique<common::GroupWorker<Pending>>(
      [this](std::vector<Pending>& group) { ApplyGroup(group); },
      [](Pending& pending) { pending.done(common::Unavailable("central is shutting down")); },
      [](const Pending& pending) { return pending.batch.events.size(); }, kMaxGroupEvents,
      // After a burst the decoded batches go back to the system (central RSS < 200 MB).
      [] { malloc_trim(0); });
}

BatchApplier::~BatchApplier() { Stop(); }

void BatchApplier::Submit(StreamBatch batch, Done done) {
  worker_->Push(Pending{std::move(batch), std::move(done)});
}

void BatchApplier::Stop() { worker_->Stop(); }

void BatchApplier::ApplyGroup(std::vector<Pending>& group) {
  if (hooks_.before) hooks_.before();
  std::vector<const StreamBatch*> batches;
  batches.reserve(group.size());
  for (const Pending& pending : group) batches.push_back(&pending.batch);
  std::vector<ApplyOutcome> outcomes;
  outcomes.reserve(group.size());
  // The transaction has ended when this returns, so that no edge is answered while it is open.
  if (common::Status stored = store_.ApplyGroup(batches, clock_.NowMs(), &outcomes); !stored.ok()) {
    for (auto& pending : group) pending.done(stored);
    return;
  }
  if (hooks_.committed) hooks_.committed();
  groups_committed_++;
  for (size_t i = 0; i < group.size(); ++i) {
    events_applied_ += outcomes[i].applied;
    group[i].done(outcomes[i]);
  }
}

}  // namespace storepulse::central
