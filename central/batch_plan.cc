#include "central/batch_plan.h"

#include <algorithm>

namespace storepulse::central {

BatchPlan PlanBatch(const StreamBatch& batch, int64_t acked) {
  BatchPlan plan;
  plan.acked = acked;
  if (batch.first_seq > std::max(acked, batch.pruned_to) + 1) {
    plan.gap = true;
    return plan;
  }
  if (batch.pruned_to > acked) {  // nothing to wait for: the edge cannot send those seqs again
    plan.passed_pruned = batch.pruned_to - acked;
    plan.acked = batch.pruned_to;
  }
  if (plan.acked >= batch.first_seq) {
    plan.first_new = static_cast<size_t>(
        std::min<int64_t>(plan.acked - batch.first_seq + 1, std::ssize(batch.events)));
  }
  return plan;
}

common::StatusOr<std::string> CheckReplayed(const StreamBatch& batch, int64_t acked,
                                            const FindStored& find) {
  for (size_t i = 0; i < batch.events.size(); ++i) {
    const int64_t seq = batch.first_seq + static_cast<int64_t>(i);
    if (seq > acked) break;
    const std::string& id = batch.events[i].id;
    ASSIGN_OR_RETURN(std::optional<StoredAt> stored, find(id));
    std::string where;
    if (!stored) {
      where = " was never received";
    } else if (stored->incarnation == batch.stream.incarnation && stored->seq != seq) {
      where = " is stored at seq " + std::to_string(stored->seq);
    }
    if (!where.empty()) {
      return "seq " + std::to_string(seq) + " of incarnation " + batch.stream.incarnation +
             " (acknowledged up to " + std::to_string(acked) + ") now holds event " + id +
             ", which" + where;
    }
  }
  return std::string();
}

}  // namespace storepulse::central
