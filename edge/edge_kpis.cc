#include "edge/edge_kpis.h"

#include "common/store/pending_tail.h"
#include "common/store/view_readers.h"
#include "edge/event_store.h"
#include "edge/held_catalogue.h"

namespace storepulse::edge {

common::StatusOr<common::PendingTail> ReadEdgeTail(SQLite::Database& db, const StoreInfo& info,
                                                   const common::TimeZone& zone) {
  const common::StoreContext context{"", zone};
  return common::PendingTail::Read(db, common::EventLogKind::kEdge, info.store,
                                   [&](const std::string&) { return context; });
}

common::StatusOr<common::KpiAnswer> QueryEdgeKpis(SQLite::Database& db,
                                                  const common::KpiRequest& request,
                                                  int64_t now_ms, common::CompareWith compare) {
  common::ReadSnapshot snapshot(db);  // the views and the pending events of one instant
  ASSIGN_OR_RETURN(StoreInfo info, ReadStoreInfo(db));
  ASSIGN_OR_RETURN(common::TimeZone zone, common::TimeZone::Load(info.timezone));
  ASSIGN_OR_RETURN(common::PendingTail tail, ReadEdgeTail(db, info, zone));
  common::StatementCache statements(db);
  common::StoreViewReaders views(statements, info.store, tail);
  std::vector<common::StoreSource> sources = {
      {info.store, "", &zone, views.measures(), 0, views.stock(), views.customers()}};
  common::KpiRequest scoped = request;
  scoped.scope = "store:" + info.store;
  if (!scoped.catalogue) scoped.catalogue = HeldCatalogue(db);
  return common::RunKpiQueryCompared(scoped, compare, sources, now_ms);
}

}  // namespace storepulse::edge
