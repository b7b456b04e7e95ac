// The day figures central keeps in PostgreSQL for head office's SQL (docs/SQL.md): per store ×
// local day × channel the base measures (common/kpi/measures.h), per store × local day × SKU the
// SKU breakdown's (common/kpi/dimensions.h), in storepulse.store_day and store_sku_day
// (central/pg_reporting_schema.h).
//
// PgLog folds them in the transaction that stores the events, from the events that transaction
// really inserted (an id already stored is not), under each store's advisory lock: so every
// event counts once whichever central applied it, a group that rolls back leaves nothing, and no
// two centrals write a store's rows at once. An event counts in the local day of its 15-minute
// bucket in the store's zone at that moment, as in the SQLite day tables
// (common/store/measure_table.h), so the views sum to the API's figures.
//
// A group's deltas are summed in memory, every sum checked, and written once before the commit:
// one COPY and one upsert per table. Not thread-safe: the applier's thread.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "central/pg_connection.h"
#include "common/event.h"
#include "common/kpi/measures.h"
#include "common/status.h"
#include "common/time_zone.h"

namespace storepulse::central {

class PgReportingDeltas {
 public:
  // Creates this session's staging tables. REQUIRES: the schema migrated (version 3).
  static common::Status Prepare(PgConnection& db);

  // Adds what `events` of `store` add, each booked to its local day in `zone`. When a sum would
  // leave the int64 range, the batch's events are left out of the day figures (and said): the
  // log and the API still count them; a day figure never stops replication.
  common::Status Fold(const std::string& store, const common::TimeZone& zone,
                      const std::vector<const common::Event*>& events);
  // Adds what `events` change in their orders' figures (central/pg_orders.h: each order judged
  // once, its stored state retracted and its new one added), reading and writing the orders'
  // states in `db`. REQUIRES: inside the group's transaction, after Fold. A sum that would leave
  // the int64 range leaves the orders' figures out (and says so); database errors fail the group.
  common::Status FoldOrders(PgConnection& db, const std::string& store,
                            const common::TimeZone& zone,
                            const std::vector<const common::Event*>& events);
  // Adds the deltas into the tables and clears them. REQUIRES: inside the group's transaction.
  // A row whose stored total would leave the bigint range (SQLSTATE 22003) is left out (and
  // said); other database errors fail the group.
  common::Status Flush(PgConnection& db);
  void Clear();

 private:
  struct DayKey {
    std::string store;
    int64_t day = 0;  // the local day number (TimeZone)
    common::Channel channel = common::Channel::kStore;
    auto operator<=>(const DayKey&) const = default;
  };
  struct SkuKey {
    std::string store;
    int64_t day = 0;
    std::string sku;
    auto operator<=>(const SkuKey&) const = default;
  };
  std::map<DayKey, common::Measures> days_;
  std::map<SkuKey, common::Measures> skus_;
  std::string copy_;  // COPY text of a flush
};

}  // namespace storepulse::central
