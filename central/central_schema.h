// The history of the central database's schema (central/central_store.h describes the current
// one): its version, and the steps that bring a file of an older storepulse up to it, which
// common/store/schema_version.h runs when central opens the file.
//
//   1  storepulse 0.1.0: every derived table written at the commit that stored the events.
//   2  issue 9: the derived tables are views of the events, folded by the view pass after the
//      events-table rowid (append order) in meta `views_folded_rowid` (absent: 0).
//   3  issue 9: the region and network day measures (`scope_measures_day`,
//      common/store/scope_measures.h), filled when central starts (CentralStore::FillViews: it
//      needs the stores file's regions) while meta `scope_measures_fill` is present.
//   4  issue 15 (shared credit, defect returns): the measure tables gain `defective_units`; the
//      employee rows keep their counts in millionths (common/store/shared_credit_upgrade.h).
//   5  issue 15 (staffing): the measure tables gain `labour_staff_s`.
//   6  issue 15, orders as lifecycles: the order table (common/store/order_table.h) and the
//      measures ready_orders, ready_ms_sum, delivered_orders, delivery_ms_sum.
//   7  issue 15: customer_link and customer_channel (common/store/customer_identity.h), the
//      channels refolded from the log.
#pragma once

#include "common/store/schema_version.h"

namespace storepulse::central {

inline constexpr int kCentralSchemaVersion = 7;

// The versions and steps above. Immutable; any thread.
const common::Schema& CentralSchema();

}  // namespace storepulse::central
