// The schema step of issue 15's shared credit and defect returns, for edge.db and central.db alike
// (edge/edge_schema.h, central/central_schema.h): every measure table gains the `defective_units`
// column (0 in the rows folded before: those days count no defect return, docs/KPIS.md), and the
// employee rows' counts move to millionths (common/kpi/credit_split.h: a shared sale's transaction
// splits), so the rows folded before read as the same whole numbers.
// Not thread-safe: run by UpgradeSchema on the writer connection, inside the step's transaction.
#pragma once

#include "common/status.h"

namespace SQLite {
class Database;
}

namespace storepulse::common {

// REQUIRES: a write transaction open on `db`. Tables that do not exist are left alone (they are
// created as they are now). FailedPrecondition naming the row when an employee count is too large
// to be kept in millionths (over ~9.2e12).
Status UpgradeMeasuresForSharedCredit(SQLite::Database& db);

}  // namespace storepulse::common
