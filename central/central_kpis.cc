#include "central/central_kpis.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>

#include "central/central_store.h"
#include "central/database_read.h"
#include "common/kpi/kpi_json.h"
#include "common/store/customer_table.h"
#include "common/store/measure_table.h"
#include "common/store/sqlite_errors.h"
#include "common/store/stock_table.h"
#include "common/utf8.h"

namespace storepulse::central {

common::StatusOr<std::vector<const StoreEntry*>> StoresInScope(const StoreDirectory& directory,
                                                               const std::string& scope) {
  std::string kind = scope.empty() ? "network" : scope.substr(0, scope.find(':'));
  std::string name = scope.find(':') == std::string::npos ? "" : scope.substr(scope.find(':') + 1);
  if (kind != "network" && kind != "region" && kind != "store") {
    return common::InvalidArgument("scope: must be network, region:R or store:S, not " +
                                   common::QuoteForMessage(scope));
  }
  std::vector<const StoreEntry*> stores;
  for (const StoreEntry& entry : directory.stores()) {
    if ((kind == "region" && entry.region != name) || (kind == "store" && entry.store != name)) {
      continue;
    }
    stores.push_back(&entry);
  }
  if (stores.empty() && kind != "network") {
    return common::NotFound("no store in scope " + common::EscapeForMessage(scope, 80) +
                            " (see storepulse fleet)");
  }
  return stores;
}

common::StoreResolver ResolveFrom(const StoreDirectory& directory) {
  return [&directory](const std::string& store) -> std::optional<common::StoreContext> {
    const StoreEntry* entry = directory.FindByStore(store);
    if (entry == nullptr) return std::nullopt;
    return common::StoreContext{entry->region, entry->zone};
  };
}

common::StatusOr<std::unique_ptr<CentralSources>> CentralSources::Read(
    SQLite::Database& db, const StoreDirectory& directory,
    const std::vector<const StoreEntry*>& stores) {
  std::unique_ptr<CentralSources> sources(new CentralSources(db));
  ASSIGN_OR_RETURN(sources->tail_, common::PendingTail::Read(db, common::EventLogKind::kCentral, "",
                                                             ResolveFrom(directory)));
  sources->scope_firsts_ =
      std::make_unique<common::ViewScopeFirstsReader>(sources->statements_, sources->tail_);
  for (const StoreEntry* entry : stores) {
    auto& readers = sources->readers_.emplace_back(std::make_unique<common::StoreViewReaders>(
        sources->statements_, entry->store, sources->tail_));
    sources->sources_.push_back({entry->store, entry->region, &entry->zone, readers->measures(),
                                 entry->area_m2, readers->stock(), readers->customers(),
                                 sources->scope_firsts_.get()});
  }
  return sources;
}

common::StatusOr<common::KpiAnswer> QueryCentralKpis(SQLite::Database& db,
                                                     const StoreDirectory& directory,
                                                     const std::string& scope,
                                                     common::KpiRequest request, int64_t now_ms,
                                                     common::CompareWith compare) {
  ASSIGN_OR_RETURN(const std::vector<const StoreEntry*> stores, StoresInScope(directory, scope));
  ASSIGN_OR_RETURN(std::unique_ptr<CentralSources> sources,
                   CentralSources::Read(db, directory, stores));
  const bool network = scope.empty() || scope.substr(0, scope.find(':')) == "network";
  request.scope = network ? "network" : scope;
  return common::RunKpiQueryCompared(request, compare, sources->sources(), now_ms);
}

}  // namespace storepulse::central
