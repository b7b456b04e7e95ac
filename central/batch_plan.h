// What a batch does to its stream, decided the same way by both stores of record (central.db and
// PostgreSQL, central/log_store.h) from the stream's position alone: a gap refuses it, the
// replayed part (at or below the position) is checked against what is stored, the part the edge
// pruned is passed, the rest is new.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "central/log_store.h"
#include "common/status.h"

namespace storepulse::central {

struct BatchPlan {
  bool gap = false;           // first_seq beyond the position + 1: apply nothing
  int64_t acked = 0;          // the position once the pruned seqs are passed
  int64_t passed_pruned = 0;  // how many seqs that passed
  size_t first_new = 0;       // index of the first event past the position
};

BatchPlan PlanBatch(const StreamBatch& batch, int64_t acked);

// Where an event id is stored for the batch's store: its incarnation and seq, or nothing.
struct StoredAt {
  std::string incarnation;
  int64_t seq = 0;
};
using FindStored = std::function<common::StatusOr<std::optional<StoredAt>>(const std::string& id)>;

// Empty when every event of `batch` at or below `acked` is one central stored, at that seq if on
// this incarnation; else why not: the edge's stream diverged (it lost commits and reused their
// seqs) and the whole batch must be refused, since skipping would lose those events.
common::StatusOr<std::string> CheckReplayed(const StreamBatch& batch, int64_t acked,
                                            const FindStored& find);

}  // namespace storepulse::central
