#include "central/batch_applier.h"

#include <malloc.h>

namespace storepulse::central {

namespace {
constexpr size_t kMaxGroupEvents = 100'000;
}  // namespace

BatchApplier::BatchApplier(CentralStore& store, const common::Clock& clock,
                           common::ViewPass* views)
    : store_(store), clock_(clock), views_(views) {
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
  auto fail_all = [&](const common::Status& status) {
    for (auto& pending : group) pending.done(status);
  };
  if (views_ != nullptr) views_->Throttle();
  std::vector<ApplyOutcome> outcomes;
  outcomes.reserve(group.size());
  if (common::Status stored = Store(group, &outcomes); !stored.ok()) return fail_all(stored);
  if (views_ != nullptr) views_->Committed(store_.log_end());
  groups_committed_++;
  for (size_t i = 0; i < group.size(); ++i) {
    events_applied_ += outcomes[i].applied;
    group[i].done(outcomes[i]);
  }
}

common::Status BatchApplier::Store(const std::vector<Pending>& group,
                                   std::vector<ApplyOutcome>* outcomes) {
  ASSIGN_OR_RETURN(CentralStore::Group transaction, store_.BeginGroup());
  const int64_t now = clock_.NowMs();
  for (const Pending& pending : group) {
    ASSIGN_OR_RETURN(ApplyOutcome outcome, transaction.Apply(pending.batch, now));
    outcomes->push_back(outcome);
  }
  return transaction.Commit();
}

}  // namespace storepulse::central
