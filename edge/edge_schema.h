// The history of the edge database's schema (edge/event_store.h describes the current one): its
// version, and the steps that bring a file of an older storepulse up to it, which
// common/store/schema_version.h runs when the edge opens the file.
//
//   1  storepulse 0.1.0: every derived table written in the event's own transaction.
//   2  issue 9: the derived tables are views of the events, folded by the view pass after the
//      seq in meta `views_folded_seq` (absent: 0).
//   3  issue 15 (shared credit, defect returns): the measure tables gain `defective_units`; the
//      employee rows keep their counts in millionths (common/store/shared_credit_upgrade.h).
//   4  issue 15 (staffing): the measure tables gain `labour_staff_s`.
//   5  issue 15, orders as lifecycles: the order table (common/store/order_table.h) and the
//      measures ready_orders, ready_ms_sum, delivered_orders, delivery_ms_sum.
//   6  issue 15: customer_link and customer_channel (common/store/customer_identity.h).
#pragma once

#include "common/store/schema_version.h"

namespace storepulse::edge {

inline constexpr int kEdgeSchemaVersion = 7;

// The versions and steps above. Immutable; any thread.
const common::Schema& EdgeSchema();

}  // namespace storepulse::edge
