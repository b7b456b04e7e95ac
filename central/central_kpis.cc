#include "central/central_kpis.h"

#include <memory>

#include "common/store/customer_table.h"
#include "common/store/measure_table.h"
#include "common/store/stock_table.h"

namespace storepulse::central {

common::StatusOr<std::vector<const StoreEntry*>> StoresInScope(const StoreDirectory& directory,
                                                               const std::string& scope) {
  std::string kind = scope.empty() ? "network" : scope.substr(0, scope.find(':'));
  std::string name = scope.find(':') == std::string::npos ? "" : scope.substr(scope.find(':') + 1);
  if (kind != "network" && kind != "region" && kind != "store") {
    return common::InvalidArgument("scope must be network, region:R or store:S, not \"" + scope +
                                   "\"");
  }
  std::vector<const StoreEntry*> stores;
  for (const StoreEntry& entry : directory.stores()) {
    if ((kind == "region" && entry.region != name) || (kind == "store" && entry.store != name)) {
      continue;
    }
    stores.push_back(&entry);
  }
  if (stores.empty() && kind != "network") {
    return common::NotFound("no store in scope " + scope + " (see storepulse fleet)");
  }
  return stores;
}

common::StatusOr<nlohmann::json> QueryCentralKpis(SQLite::Database& db,
                                                  const StoreDirectory& directory,
                                                  const std::string& scope,
                                                  common::KpiRequest request, int64_t now_ms,
                                                  common::CompareWith compare) {
  ASSIGN_OR_RETURN(const std::vector<const StoreEntry*> stores, StoresInScope(directory, scope));
  std::vector<std::unique_ptr<common::SqliteMeasureReader>> readers;
  std::vector<std::unique_ptr<common::SqliteStockReader>> stock;
  std::vector<std::unique_ptr<common::SqliteCustomerReader>> customers;
  common::SqliteScopeFirstsReader scope_firsts(db);
  std::vector<common::StoreSource> sources;
  for (const StoreEntry* entry : stores) {
    readers.push_back(std::make_unique<common::SqliteMeasureReader>(db, entry->store));
    stock.push_back(std::make_unique<common::SqliteStockReader>(db, entry->store));
    customers.push_back(std::make_unique<common::SqliteCustomerReader>(db, entry->store));
    sources.push_back({entry->store, entry->region, &entry->zone, readers.back().get(),
                       entry->area_m2, stock.back().get(), customers.back().get(),
                       &scope_firsts});
  }
  const bool network = scope.empty() || scope.substr(0, scope.find(':')) == "network";
  request.scope = network ? "network" : scope;
  return common::RunKpiQueryCompared(request, compare, sources, now_ms);
}

}  // namespace storepulse::central
