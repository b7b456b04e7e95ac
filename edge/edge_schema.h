// The history of the edge database's schema (edge/event_store.h describes the current one): its
// version, and the steps that bring a file of an older storepulse up to it, which
// common/store/schema_version.h runs when the edge opens the file.
//
//   1  storepulse 0.1.0: every derived table written in the event's own transaction.
//   2  issue 9: the derived tables are views of the events, folded by the view pass after the
//      seq in meta `views_folded_seq` (absent: 0).
//   3  issue 15: customer_link and customer_channel (common/store/customer_identity.h).
#pragma once

#include "common/store/schema_version.h"

namespace storepulse::edge {

inline constexpr int kEdgeSchemaVersion = 3;

// The versions and steps above. Immutable; any thread.
const common::Schema& EdgeSchema();

}  // namespace storepulse::edge
