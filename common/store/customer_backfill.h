// Fills the customer views (customer_views.h) from the exact customer tables they summarise
// (customer_table.h): for a database made before the views (CreateCustomerTables then marks them
// pending, and the KPIs fall back to the exact sets until this has run), and for a store whose
// time zone changed (its local days are other days).
// Not thread-safe: the writer's connection, inside its write transaction.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "common/time_zone.h"

namespace SQLite {
class Database;
}

namespace storepulse::common {

// A store as the views count it: its days are local days of `zone`, its sales count in `region`.
struct CustomerStore {
  std::string store;
  std::string region;              // central only
  const TimeZone* zone = nullptr;  // not owned
};

// Rebuilds every view from the exact tables: each store's day sketches (from customer_seen) and
// new customers per day (from customer_first); with scopes (central), each region's and the
// network's day sketches as unions of their stores' (a store in the region `stores` gives it),
// their new customers per day (customer_first_region/network, whose first_day it fills in), and
// the members of each scope. Stores missing from `stores` (gone from the stores file) are left
// out of every view. Then the views are marked ready. Idempotent: run it again to repair a view.
// Cost: one pass over customer_seen and the first-purchase tables (the schema migration).
// REQUIRES: inside a write transaction. Internal on a database error.
Status BackfillCustomerSketches(SQLite::Database& db, const std::vector<CustomerStore>& stores,
                                bool with_scopes);

// One store's own views (scope "store:S") rebuilt in `zone`. Throws SQLite::Exception.
void RebuildStoreViews(SQLite::Database& db, const std::string& store, const TimeZone& zone);

}  // namespace storepulse::common
