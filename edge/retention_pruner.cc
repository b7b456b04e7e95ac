#include "edge/retention_pruner.h"

#include <chrono>

#include "common/log.h"

namespace storepulse::edge {

namespace {
// Steady pruning takes a few events a minute: one log line an hour says it goes on.
constexpr int64_t kLogEveryMs = 3'600'000;
}  // namespace

RetentionPruner::RetentionPruner(RetentionOptions options, Step step,
                                 std::function<int64_t()> safe_seq, const common::Clock& clock)
    : options_(options), step_(std::move(step)), safe_seq_(std::move(safe_seq)), clock_(clock) {}

RetentionPruner::~RetentionPruner() { Stop(); }

void RetentionPruner::Start() {
  thread_ = std::thread([this] { Run(); });
}

void RetentionPruner::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

RetentionStatus RetentionPruner::Status() const {
  std::lock_guard lock(mu_);
  return status_;
}

void RetentionPruner::Run() {
  int64_t last_bound = -1;
  int64_t last_pass_ms = 0;
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    const int64_t bound = safe_seq_();
    const int64_t now = clock_.NowMs();
    if (bound != last_bound || now - last_pass_ms >= options_.pass_ms) {
      (void)RunPass();  // an error is in Status() and the log; the next pass tries again
      last_bound = bound;
      last_pass_ms = now;
    }
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms), [this] { return stopping_; });
  }
}

common::StatusOr<int64_t> RetentionPruner::RunPass() {
  std::lock_guard pass(pass_mu_);
  const int64_t older_than_ms = clock_.NowMs() - options_.retention_ms;
  int64_t pruned = 0;
  for (;;) {
    // Read each step: central may acknowledge more while a long catch-up pass runs.
    auto step = step_(safe_seq_(), older_than_ms, options_.step_rows);
    if (!step.ok()) {
      std::lock_guard lock(mu_);
      if (status_.last_error != step.status().message()) {
        common::LogWarning("retention: " + step.status().message());
      }
      status_.last_error = step.status().message();
      return step.status();
    }
    Record(*step);
    pruned += step->pruned;
    std::lock_guard lock(mu_);
    if (step->pruned < static_cast<int64_t>(options_.step_rows) || stopping_) break;
  }
  {
    std::lock_guard lock(mu_);
    status_.passes++;
    status_.last_pass_ms = clock_.NowMs();
    status_.last_error.clear();
  }
  LogPruned(pruned);
  return pruned;
}

void RetentionPruner::Record(const PruneStep& step) {
  std::lock_guard lock(mu_);
  status_.events_pruned += step.pruned;
  status_.pruned_through = step.pruned_through;
  status_.oldest_kept_received_ms = step.oldest_kept_received_ms;
}

void RetentionPruner::LogPruned(int64_t pruned) {
  unlogged_pruned_ += pruned;
  const int64_t now = clock_.NowMs();
  if (unlogged_pruned_ == 0 || (last_log_ms_ != 0 && now - last_log_ms_ < kLogEveryMs)) return;
  RetentionStatus status = Status();
  common::LogInfo("retention: pruned " + std::to_string(unlogged_pruned_) +
                  " raw events acknowledged by central and older than " +
                  std::to_string(options_.retention_ms / 86'400'000) + " days (through seq " +
                  std::to_string(status.pruned_through) + "); the oldest event kept was stored " +
                  common::FormatRfc3339Utc(status.oldest_kept_received_ms) +
                  ". The KPIs of those days stay.");
  unlogged_pruned_ = 0;
  last_log_ms_ = now;
}

}  // namespace storepulse::edge
