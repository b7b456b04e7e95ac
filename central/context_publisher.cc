#include "central/context_publisher.h"

#include <chrono>

#include "common/log.h"

namespace storepulse::central {

ContextPublisher::ContextPublisher(int64_t interval_ms, Compute compute, DocumentBoard& board,
                                   const common::Clock& clock)
    : interval_ms_(interval_ms), compute_(std::move(compute)), board_(board), clock_(clock) {}

ContextPublisher::~ContextPublisher() { Stop(); }

void ContextPublisher::Start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void ContextPublisher::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

common::Status ContextPublisher::PublishOnce() {
  const int64_t now_ms = clock_.NowMs();
  ASSIGN_OR_RETURN(const std::vector<common::NetworkContext> contexts, compute_(now_ms));
  for (const common::NetworkContext& context : contexts) {
    board_.Publish(common::kContextDocument, context.store, common::ContextRows(context), now_ms);
  }
  return common::OkStatus();
}

void ContextPublisher::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    if (common::Status published = PublishOnce(); !published.ok()) {
      common::LogError("network context not published, the edges keep the previous one: " +
                       published.message());
    }
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(interval_ms_), [this] { return stop_; });
  }
}

}  // namespace storepulse::central
