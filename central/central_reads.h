// Every read of central's figures that the HTTP API and the alerts make — KPIs, targets, the
// network stock of a SKU, each store's today — as answers: the handlers and the alert monitor
// never see a database handle (SQL stays in the store adapters). Each read opens a read
// connection of its own to this central's central.db (central/database_read.h); with a
// PostgreSQL log it first waits (bounded) until the read model holds what the record held at the
// call (`catch_up`, central/pg_read_model.h). Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "central/fleet.h"
#include "central/stores_file.h"
#include "common/kpi/kpi_compare.h"
#include "common/kpi/kpi_query.h"
#include "common/reference/network_context.h"
#include "common/reference/report_definitions.h"
#include "common/status.h"
#include "common/targets/drivers_json.h"
#include "common/targets/targets_file.h"

namespace storepulse::central {

class CentralReads {
 public:
  // `catch_up` may be empty (SQLite: central.db is the record). `directory` and `fleet` must
  // outlive this.
  // `catalogue` may be empty (no catalogue: no names, no costs).
  CentralReads(std::string data_dir, std::function<void()> catch_up,
               std::function<std::shared_ptr<const StoreDirectory>()> directory, const Fleet& fleet,
               std::function<std::shared_ptr<const common::Catalogue>()> catalogue = {});

  // GET /api/v1/kpi (common/kpi/kpi_json.h), for `scope` as central_kpis.h says; with the
  // catalogue as last loaded unless `request` names one.
  common::StatusOr<nlohmann::json> Kpis(const std::string& scope, common::KpiRequest request,
                                        common::CompareWith compare, int64_t now_ms) const;
  // GET /api/v1/kpi/hours: `scope`'s KPIs by=hour over each store's local today ("today") and
  // over the whole of the same local day a week earlier ("last_week"), two KPI answers. Unlike
  // compare=previous_week, which lists only the hours today has, every hour of last week shows.
  common::StatusOr<nlohmann::json> HoursAgainstLastWeek(const std::string& scope,
                                                        int64_t now_ms) const;
  // Each store's KPIs over its local today, by=store, without margins: the input of the KPI
  // alerts and /metrics.
  common::StatusOr<nlohmann::json> KpisTodayByStore(int64_t now_ms) const;
  // GET /api/v1/targets (central/target_report.h).
  common::StatusOr<nlohmann::json> Targets(const common::TargetList& targets, int64_t now_ms) const;
  // GET /api/v1/drivers (common/targets/drivers_json.h) for `scope`: the period in the zone of
  // the scope's first store (stores in other zones are read over the same dates).
  common::StatusOr<nlohmann::json> Drivers(const std::string& scope, common::TargetPeriod period,
                                           common::DriversAgainst against,
                                           const common::TargetList& targets, int64_t now_ms) const;
  // GET /api/v1/stock?sku= (central/network_stock.h).
  common::StatusOr<nlohmann::json> NetworkStock(const std::string& sku, int64_t now_ms) const;
  // GET /api/v1/reports/NAME: `report` run over `scope` (as StoresInScope takes it), its period
  // in the local calendar of the scope's first store (common/reference/report_run.h).
  common::StatusOr<nlohmann::json> RunReport(const common::ReportDefinition& report,
                                             const std::string& scope, int64_t now_ms) const;
  // Every store's network context (central/network_context.h), for the context publisher.
  common::StatusOr<std::vector<common::NetworkContext>> NetworkContexts(int64_t now_ms) const;
  // GET /api/v1/orders?status=overdue (common/store/overdue_orders.h) for the stores of `scope`
  // (central_kpis.h), at most `limit`.
  common::StatusOr<nlohmann::json> OverdueOrders(const std::string& scope, int64_t limit,
                                                 int64_t now_ms) const;
  // The size of central.db-wal, for /metrics.
  int64_t WalBytes() const;
  // central.db's path, for /metrics (its size).
  std::string DatabasePath() const;

 private:
  const std::string data_dir_;
  const std::function<void()> catch_up_;
  const std::function<std::shared_ptr<const StoreDirectory>()> directory_;
  const Fleet& fleet_;
  const std::function<std::shared_ptr<const common::Catalogue>()> catalogue_;
};

}  // namespace storepulse::central
