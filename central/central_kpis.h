// Network KPIs: the stores of a scope (network, region:R, store:S), each read in its own time zone
// from the central database, merged by the common KPI engine (SPEC §3: ratios from summed
// components; a network day is each store's own local day).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "central/stores_file.h"
#include "common/store/pending_tail.h"
#include "common/store/view_readers.h"
#include "common/kpi/kpi_compare.h"
#include "common/kpi/kpi_query.h"
#include "common/status.h"

namespace SQLite {
class Database;
}

namespace storepulse::central {

// The stores of `scope` — "network" (or empty), "region:R", "store:S" — in the directory's
// order. InvalidArgument for another shape; NotFound for a region or store with no store.
common::StatusOr<std::vector<const StoreEntry*>> StoresInScope(const StoreDirectory& directory,
                                                               const std::string& scope);

// The KPI engine's sources for some stores of central's database: each store's measure, stock
// and customer readers over its views plus the events not folded yet (common/store/
// pending_tail.h), all read in one snapshot of `db`, which must outlive this. The directory
// gives every pending store's zone and region. Not copyable; one thread.
class CentralSources {
 public:
  static common::StatusOr<std::unique_ptr<CentralSources>> Read(
      SQLite::Database& db, const StoreDirectory& directory,
      const std::vector<const StoreEntry*>& stores);
  CentralSources(const CentralSources&) = delete;
  CentralSources& operator=(const CentralSources&) = delete;
  // The sources, in the order of `stores`; a caller may swap a source's reader for a wrapper.
  std::vector<common::StoreSource>& sources() { return sources_; }

 private:
  explicit CentralSources(SQLite::Database& db) : snapshot_(db), statements_(db) {}
  common::ReadSnapshot snapshot_;  // first: open while everything below reads
  common::StatementCache statements_;  // every store's readers share them
  common::PendingTail tail_;
  std::vector<std::unique_ptr<common::StoreViewReaders>> readers_;
  std::unique_ptr<common::ScopeFirstsReader> scope_firsts_;
  std::vector<common::StoreSource> sources_;
};

// Each store's zone and region as the views need them; nothing for a store the file lacks.
common::StoreResolver ResolveFrom(const StoreDirectory& directory);

// `scope` as for StoresInScope; `compare` adds the like-for-like comparison of
// common/kpi/kpi_compare.h. JSON: common/kpi/kpi_json.h.
common::StatusOr<common::KpiAnswer> QueryCentralKpis(
    SQLite::Database& db, const StoreDirectory& directory, const std::string& scope,
    common::KpiRequest request, int64_t now_ms,
    common::CompareWith compare = common::CompareWith::kNone);

}  // namespace storepulse::central
