#include "edge/edge_kpis.h"

#include "common/store/customer_table.h"
#include "common/store/measure_table.h"
#include "common/store/stock_table.h"
#include "edge/event_store.h"

namespace storepulse::edge {

common::StatusOr<common::KpiAnswer> QueryEdgeKpis(SQLite::Database& db,
                                                  const common::KpiRequest& request,
                                                  int64_t now_ms, common::CompareWith compare) {
  ASSIGN_OR_RETURN(StoreInfo info, ReadStoreInfo(db));
  ASSIGN_OR_RETURN(common::TimeZone zone, common::TimeZone::Load(info.timezone));
  common::SqliteMeasureReader reader(db, info.store);
  common::SqliteStockReader stock(db, info.store);
  common::SqliteCustomerReader customers(db, info.store);
  std::vector<common::StoreSource> sources = {
      {info.store, "", &zone, &reader, 0, &stock, &customers}};
  common::KpiRequest scoped = request;
  scoped.scope = "store:" + info.store;
  return common::RunKpiQueryCompared(scoped, compare, sources, now_ms);
}

}  // namespace storepulse::edge
