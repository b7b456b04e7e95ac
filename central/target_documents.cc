#include "central/target_documents.h"

#include "common/targets/targets_document.h"

namespace storepulse::central {

void PublishTargets(DocumentBoard& board, const StoreDirectory& directory,
                    const common::TargetList& targets, int64_t now_ms) {
  for (const StoreEntry& store : directory.stores()) {
    board.Publish(common::kTargetsDocument, store.store,
                  common::TargetsRows(targets, store.store, store.region), now_ms);
  }
}

}  // namespace storepulse::central
