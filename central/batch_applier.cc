#include "central/batch_applier.h"

namespace storepulse::central {

namespace {
constexpr size_t kMaxGroupEvents = 100'000;
}  // namespace

BatchApplier::BatchApplier(CentralStore& store, const common::Clock& clock)
    : store_(store), clock_(clock) {
  worker_ = std::make_unique<common::GroupWorker<Pending>>(
      [this](std::vector<Pending>& group) { ApplyGroup(group); },
      [](Pending& pending) { pending.done(common::Unavailable("central is shutting down")); },
      [](const Pending& pending) { return pending.batch.events.size(); }, kMaxGroupEvents);
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
  if (common::Status begun = store_.Begin(); !begun.ok()) return fail_all(begun);
  std::vector<ApplyOutcome> outcomes;
  outcomes.reserve(group.size());
  std::vector<std::string> stores;  // each batch's store, for a refusal at Commit
  stores.reserve(group.size());
  int64_t now = clock_.NowMs();
  for (Pending& pending : group) {
    stores.push_back(pending.batch.stream.store);
    auto outcome = store_.Apply(std::move(pending.batch), now);  // the store keeps the events
    if (!outcome.ok()) {
      store_.Rollback();
      return fail_all(outcome.status());
    }
    outcomes.push_back(*outcome);
  }
  if (common::Status committed = store_.Commit(); !committed.ok()) {
    if (committed.code() != common::StatusCode::kOutOfRange) return fail_all(committed);
    // One store's totals would overflow: its batches are refused, the others sent again at once
    // (the group was rolled back, so nothing of them is stored yet).
    for (size_t i = 0; i < group.size(); ++i) {
      group[i].done(stores[i] == store_.refused_store()
                        ? committed
                        : common::Unavailable("rolled back with store " + store_.refused_store() +
                                              "'s refused batch; send again"));
    }
    return;
  }
  groups_committed_++;
  for (size_t i = 0; i < group.size(); ++i) {
    events_applied_ += outcomes[i].applied;
    group[i].done(outcomes[i]);
  }
}

}  // namespace storepulse::central
