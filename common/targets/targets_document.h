// The `targets` reference document (docs/PROTOCOL.md, "Reference documents → targets"): what
// central sends each store of its targets file — the store's own targets, its region's and the
// network's. One row a target, keyed `scope|kpi|period`:
//   {"scope":"store:S1", "kpi":"net_sales", "period":"day", "target":1200000, "order":0}
// `order` is the target's place among the document's rows in the file's order (the edge lists
// them in that order, as central does). Central makes it (TargetsRows, per store, on load, on
// SIGHUP and when a store's region changes); the edge reads it back (TargetsFromRows) for its
// GET /api/v1/targets. Pure functions; thread-safe.
#pragma once

#include <string>

#include "common/reference/reference_document.h"
#include "common/status.h"
#include "common/targets/targets_file.h"

namespace storepulse::common {

// The key of `target`'s row: "scope|kpi|period".
std::string TargetRowKey(const Target& target);

// The targets of `targets` whose scope is "store:<store>", "region:<region>" (none when `region`
// is empty) or "network".
DocumentRows TargetsRows(const TargetList& targets, const std::string& store,
                         const std::string& region);

// The targets of a document, in `order`. InvalidArgument naming the first bad row (a key not its
// row's, a bad scope or period, a target not a finite number). A KPI this version does not know
// is kept: its entry then says so (common/targets/target_entry.h), as central's would.
StatusOr<TargetList> TargetsFromRows(const DocumentRows& rows);

}  // namespace storepulse::common
