// Central's targets, published to its edges: one `targets` reference document per store of the
// stores file (common/targets/targets_document.h: the store's own targets, its region's and the
// network's), put on the DocumentBoard when central starts and whenever SIGHUP re-reads the
// targets or the stores file (a store moved to another region gets that region's targets). A
// store left with no target gets an empty document, so that its edge drops what it held. A store
// gone from the stores file keeps its last document on the board (it can no longer connect).
// Thread-safe (the board is).
#pragma once

#include <cstdint>

#include "central/document_board.h"
#include "central/stores_file.h"
#include "common/targets/targets_file.h"

namespace storepulse::central {

void PublishTargets(DocumentBoard& board, const StoreDirectory& directory,
                    const common::TargetList& targets, int64_t now_ms);

}  // namespace storepulse::central
