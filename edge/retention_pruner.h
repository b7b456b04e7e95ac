// Retention at the edge (SPEC §4): a thread that deletes the raw events older than
// --retention-days once central has acknowledged them and the views have folded them. It works
// in steps of at most `step_rows` events, each its own short write transaction on the writer
// thread between two ingest groups (GroupCommitWriter::Prune), so ingest never waits for more
// than one step. The views stay: the KPIs of a pruned period are the same as before.
//
// What "old" means, which events may go and what it does to the file: edge/event_pruning.h and
// docs/OPERATIONS.md ("Retention").
//
// A pass runs when the bound it may prune up to (`safe_seq`) has moved, looked at every
// `poll_ms`, and at least every `pass_ms`, since events grow old without any new ack; it steps
// until a step prunes less than `step_rows`.
//
// Thread-safe: Start/Stop from one thread; RunPass and Status from any (one pass at a time).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "common/status.h"
#include "common/time_util.h"
#include "edge/event_pruning.h"

namespace storepulse::edge {

struct RetentionOptions {
  int64_t retention_ms = 90LL * 86'400'000;  // events older than this may go; > 0
  size_t step_rows = 1000;                   // events deleted per write transaction
  int64_t poll_ms = 1000;                    // how often safe_seq is looked at
  int64_t pass_ms = 60'000;                  // a pass at least this often
};

// What retention did since the daemon started, and what the database keeps.
struct RetentionStatus {
  int64_t events_pruned = 0;            // since the daemon started
  int64_t pruned_through = 0;           // no event at or below this seq is kept; 0: none pruned
  int64_t oldest_kept_received_ms = 0;  // when the oldest event kept was stored; 0: not known
  int64_t passes = 0;                   // passes run since the daemon started
  int64_t last_pass_ms = 0;             // when the last pass ended well; 0: none yet
  std::string last_error;               // of the last pass; empty when it went well
};

class RetentionPruner {
 public:
  // One prune step: GroupCommitWriter::Prune, or PruneEvents on a connection in tests.
  using Step = std::function<common::StatusOr<PruneStep>(int64_t max_seq, int64_t older_than_ms,
                                                         size_t max_rows)>;
  // `safe_seq()` is the highest seq that may go: acknowledged by central and folded into the
  // views. Called from the pruner's thread.
  RetentionPruner(RetentionOptions options, Step step, std::function<int64_t()> safe_seq,
                  const common::Clock& clock);
  ~RetentionPruner();
  RetentionPruner(const RetentionPruner&) = delete;
  RetentionPruner& operator=(const RetentionPruner&) = delete;

  void Start();
  void Stop();
  // A pass now: steps until nothing more may go (or Stop). The events it pruned.
  common::StatusOr<int64_t> RunPass();
  RetentionStatus Status() const;

 private:
  void Run();
  void Record(const PruneStep& step);
  void LogPruned(int64_t pruned);

  const RetentionOptions options_;
  const Step step_;
  const std::function<int64_t()> safe_seq_;
  const common::Clock& clock_;
  std::mutex pass_mu_;  // one pass at a time
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;        // guarded by mu_
  RetentionStatus status_;       // guarded by mu_
  int64_t unlogged_pruned_ = 0;  // pass thread: pruned since the last log line
  int64_t last_log_ms_ = 0;      // pass thread
  std::thread thread_;
};

}  // namespace storepulse::edge
