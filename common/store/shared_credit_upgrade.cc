#include "common/store/shared_credit_upgrade.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

#include "common/kpi/credit_split.h"
#include "common/kpi/dimensions.h"
#include "common/kpi/measures.h"
#include "common/log.h"
#include "common/store/measure_table.h"

namespace storepulse::common {
namespace {

bool TableExists(SQLite::Database& db, const std::string& table) {
  SQLite::Statement q(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  q.bind(1, table);
  return q.executeStep();
}

// Multiplies the employee rows' counts of `table` by 10^6, refusing a count that would not fit.
Status RescaleEmployeeRows(SQLite::Database& db, const std::string& table) {
  const std::string employee = std::to_string(static_cast<int>(Dimension::kEmployee));
  const int64_t limit = INT64_MAX / kCreditUnitsPerCount;
  std::string set, too_large;
  for (size_t i = 0; i < kMeasureCount; ++i) {
    if (!IsCountedInCreditUnits(static_cast<Measure>(i))) continue;
    const std::string name(kMeasureNames[i]);
    set += (set.empty() ? "" : ", ") + name + " = " + name + " * " +
           std::to_string(kCreditUnitsPerCount);
    too_large += (too_large.empty() ? "" : " OR ") + std::string("abs(") + name + ") > " +
                 std::to_string(limit);
  }
  SQLite::Statement check(db, "SELECT key FROM " + table + " WHERE dim = " + employee + " AND (" +
                                  too_large + ") LIMIT 1");
  if (check.executeStep()) {
    return FailedPrecondition(table + ": employee " + check.getColumn(0).getString() +
                              " has a count too large to keep in millionths");
  }
  db.exec("UPDATE " + table + " SET " + set + " WHERE dim = " + employee);
  return OkStatus();
}

}  // namespace

Status UpgradeMeasuresForSharedCredit(SQLite::Database& db) {
  const std::string column(kMeasureNames[static_cast<size_t>(Measure::kDefectiveUnits)]);
  RETURN_IF_ERROR(AddMeasureColumns(db, {Measure::kDefectiveUnits}));
  for (const char* table : {"dims_15m", "dims_day"}) {
    if (TableExists(db, table)) RETURN_IF_ERROR(RescaleEmployeeRows(db, table));
  }
  LogInfo("shared credit: measure tables gained " + column +
          " (0 for what was folded before), employee counts are kept in millionths");
  return OkStatus();
}

}  // namespace storepulse::common
