// Everything derived from stored events — the KPI measures, the employee and SKU breakdowns,
// the orders' states, stock on hand and the customer sets — updated in the caller's write
// transaction for the events it has just stored, in sequence order. One place, so the edge and
// central derive alike and a caught-up store's KPIs are the same at both. Not thread-safe: one per
// writer connection.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/event.h"
#include "common/status.h"
#include "common/store/customer_identity.h"
#include "common/store/customer_table.h"
#include "common/store/measure_table.h"
#include "common/store/order_table.h"
#include "common/store/scope_measures.h"
#include "common/store/stock_table.h"
#include "common/time_zone.h"

namespace SQLite {
class Database;
}

namespace storepulse::common {

class DerivedTables {
 public:
  // Creates the tables if missing. `central` adds the region and network tables (customers,
  // measures).
  static Status Create(SQLite::Database& db, bool central);

  DerivedTables(SQLite::Database& db, bool central);

  // REQUIRES: inside a write transaction; `events` newly stored, in sequence order.
  // OutOfRange when a total (a measure, a stock figure) would leave the int64 range: the caller
  // must then roll back and refuse the events. Throws SQLite::Exception on a database error (the
  // caller's transaction then rolls back).
  Status Apply(const std::string& store, const std::string& region, const TimeZone& zone,
               const std::vector<const Event*>& events, int64_t now_ms);
  // After the store's time zone changed: its local-day rows again.
  Status RebuildDays(const std::string& store, const TimeZone& zone);

 private:
  SQLite::Database& db_;
  MeasureWriter measures_;
  OrderWriter orders_;
  StockWriter stock_;
  CustomerWriter customers_;
  CustomerIdentityWriter identities_;
  std::unique_ptr<ScopeMeasureWriter> scopes_;  // central only
};

}  // namespace storepulse::common
