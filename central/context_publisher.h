// Publishes every store's network context (central/network_context.h) to the document board
// (central/document_board.h) as its `context` document: at Start() and then every interval, so
// that each edge holds its region's and the network's figures of a few minutes ago
// (`--context-interval-s`, default 300). A failed computation is logged and the previous documents
// stay published. Start/Stop from one thread; its own thread computes.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "central/document_board.h"
#include "common/reference/network_context.h"
#include "common/status.h"
#include "common/time_util.h"

namespace storepulse::central {

class ContextPublisher {
 public:
  using Compute =
      std::function<common::StatusOr<std::vector<common::NetworkContext>>(int64_t now_ms)>;

  // `board` and `clock` must outlive this.
  ContextPublisher(int64_t interval_ms, Compute compute, DocumentBoard& board,
                   const common::Clock& clock);
  ~ContextPublisher();
  ContextPublisher(const ContextPublisher&) = delete;
  ContextPublisher& operator=(const ContextPublisher&) = delete;

  void Start();
  void Stop();

  // Computes and publishes once, on the calling thread: one `context` document per store.
  common::Status PublishOnce();

 private:
  void Run();

  const int64_t interval_ms_;
  const Compute compute_;
  DocumentBoard& board_;
  const common::Clock& clock_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace storepulse::central
