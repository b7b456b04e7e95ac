#include "central/central_reads.h"

#include "central/central_kpis.h"
#include "central/central_pace.h"
#include "central/central_store.h"
#include "central/database_read.h"
#include "central/network_context.h"
#include "central/network_stock.h"
#include "central/target_report.h"
#include "common/kpi/kpi_json.h"
#include "common/reference/report_run.h"
#include "common/store/overdue_orders.h"
#include "common/store/wal.h"

namespace storepulse::central {

CentralReads::CentralReads(std::string data_dir, std::function<void()> catch_up,
                           std::function<std::shared_ptr<const StoreDirectory>()> directory,
                           const Fleet& fleet,
                           std::function<std::shared_ptr<const common::Catalogue>()> catalogue)
    : data_dir_(std::move(data_dir)),
      catch_up_(std::move(catch_up)),
      directory_(std::move(directory)),
      fleet_(fleet),
      catalogue_(std::move(catalogue)) {}

common::StatusOr<nlohmann::json> CentralReads::Kpis(const std::string& scope,
                                                    common::KpiRequest request,
                                                    common::CompareWith compare,
                                                    int64_t now_ms) const {
  if (catch_up_) catch_up_();
  auto directory = directory_();
  if (!request.catalogue && catalogue_) request.catalogue = catalogue_();
  return ReadCentralDatabase(data_dir_, [&](SQLite::Database& db) -> common::StatusOr<nlohmann::json> {
    ASSIGN_OR_RETURN(const common::KpiAnswer kpis,
                     QueryCentralKpis(db, *directory, scope, request, now_ms, compare));
    return common::KpiAnswerJson(kpis);
  });
}

common::StatusOr<nlohmann::json> CentralReads::HoursAgainstLastWeek(const std::string& scope,
                                                                    int64_t now_ms) const {
  if (catch_up_) catch_up_();
  auto directory = directory_();
  return ReadCentralDatabase(data_dir_, [&](SQLite::Database& db) -> common::StatusOr<nlohmann::json> {
    common::KpiRequest request;
    request.by = common::GroupBy::kHour;
    ASSIGN_OR_RETURN(const common::KpiAnswer today,
                     QueryCentralKpis(db, *directory, scope, request, now_ms));
    int64_t week_ago_ms = 0;
    {  // "now" a week ago, in every store's local day a week before its today (its snapshot ends)
      ASSIGN_OR_RETURN(const std::vector<const StoreEntry*> stores,
                       StoresInScope(*directory, scope));
      ASSIGN_OR_RETURN(std::unique_ptr<CentralSources> sources,
                       CentralSources::Read(db, *directory, stores));
      week_ago_ms = common::ShiftedNowMs(sources->sources(), now_ms, 7);
    }
    ASSIGN_OR_RETURN(const common::KpiAnswer last_week,
                     QueryCentralKpis(db, *directory, scope, request, week_ago_ms));
    return nlohmann::json{{"scope", today.scope},
                          {"today", common::KpiAnswerJson(today)},
                          {"last_week", common::KpiAnswerJson(last_week)}};
  });
}

common::StatusOr<nlohmann::json> CentralReads::KpisTodayByStore(int64_t now_ms) const {
  common::KpiRequest request;
  request.by = common::GroupBy::kStore;
  request.margins = false;  // no alert or metric reads them: every store's SKU rows unread
  return Kpis("network", request, common::CompareWith::kNone, now_ms);
}

common::StatusOr<nlohmann::json> CentralReads::Targets(const common::TargetList& targets,
                                                       int64_t now_ms) const {
  if (catch_up_) catch_up_();
  auto directory = directory_();
  return ReadCentralDatabase(data_dir_, [&](SQLite::Database& db) {
    return common::StatusOr<nlohmann::json>(EvaluateTargets(db, *directory, targets, now_ms));
  });
}

common::StatusOr<nlohmann::json> CentralReads::Drivers(const std::string& scope,
                                                       common::TargetPeriod period,
                                                       common::DriversAgainst against,
                                                       const common::TargetList& targets,
                                                       int64_t now_ms) const {
  if (catch_up_) catch_up_();
  auto directory = directory_();
  return ReadCentralDatabase(
      data_dir_, [&](SQLite::Database& db) -> common::StatusOr<nlohmann::json> {
        ASSIGN_OR_RETURN(const std::vector<const StoreEntry*> stores,
                         StoresInScope(*directory, scope));
        if (stores.empty()) return common::NotFound("no store in " + scope);
        const common::LocalPeriod local =
            common::CurrentLocalPeriod(period, stores[0]->zone, now_ms);
        std::optional<common::Target> target;
        std::optional<double> pace_share;  // a store's day, paced by its history (central_pace.h)
        if (against == common::DriversAgainst::kTarget) {
          target = common::FindNetSalesTarget(targets, scope, period);
          if (target && scope.starts_with("store:") && period == common::TargetPeriod::kDay) {
            ASSIGN_OR_RETURN(std::optional<CentralPace> pace,
                             StoreDayPace(db, *directory, *stores[0], now_ms));
            if (pace) pace_share = pace->share;
          }
        }
        ASSIGN_OR_RETURN(
            const common::KpiAnswer answer,
            QueryCentralKpis(db, *directory, scope, common::DriversRequest(local, scope, now_ms),
                             now_ms, common::DriversCompare(against)));
        return common::DriversJson(period, against, answer, local, now_ms, target, pace_share);
      });
}

common::StatusOr<nlohmann::json> CentralReads::NetworkStock(const std::string& sku,
                                                            int64_t now_ms) const {
  if (catch_up_) catch_up_();
  auto directory = directory_();
  return ReadCentralDatabase(data_dir_, [&](SQLite::Database& db) {
    return QueryNetworkStock(db, *directory, fleet_, sku, now_ms);
  });
}

common::StatusOr<nlohmann::json> CentralReads::RunReport(const common::ReportDefinition& report,
                                                         const std::string& scope,
                                                         int64_t now_ms) const {
  if (catch_up_) catch_up_();
  auto directory = directory_();
  return ReadCentralDatabase(
      data_dir_, [&](SQLite::Database& db) -> common::StatusOr<nlohmann::json> {
        ASSIGN_OR_RETURN(const std::vector<const StoreEntry*> stores,
                         StoresInScope(*directory, scope));
        if (stores.empty()) return common::NotFound("no store in scope " + scope);
        const int64_t today = stores.front()->zone.LocalDayOf(now_ms);
        ASSIGN_OR_RETURN(
            const common::KpiAnswer answer,
            QueryCentralKpis(db, *directory, scope, common::ReportRequest(report, today), now_ms));
        return common::ReportAnswerJson(report, answer);
      });
}

common::StatusOr<std::vector<common::NetworkContext>> CentralReads::NetworkContexts(
    int64_t now_ms) const {
  if (catch_up_) catch_up_();
  auto directory = directory_();
  std::vector<common::NetworkContext> contexts;
  common::StatusOr<nlohmann::json> read =
      ReadCentralDatabase(data_dir_, [&](SQLite::Database& db) -> common::StatusOr<nlohmann::json> {
        ASSIGN_OR_RETURN(contexts, ReadNetworkContexts(db, *directory, now_ms));
        return nlohmann::json();
      });
  if (!read.ok()) return read.status();
  return contexts;
}

common::StatusOr<nlohmann::json> CentralReads::OverdueOrders(const std::string& scope,
                                                             int64_t limit, int64_t now_ms) const {
  if (catch_up_) catch_up_();
  auto directory = directory_();
  return ReadCentralDatabase(
      data_dir_, [&](SQLite::Database& db) -> common::StatusOr<nlohmann::json> {
        ASSIGN_OR_RETURN(const std::vector<const StoreEntry*> entries,
                         StoresInScope(*directory, scope));
        std::vector<std::string> stores;
        for (const StoreEntry* entry : entries) stores.push_back(entry->store);
        common::ReadSnapshot snapshot(db);  // the views and the pending events of one instant
        ASSIGN_OR_RETURN(const common::PendingTail tail,
                         common::PendingTail::Read(db, common::EventLogKind::kCentral, "",
                                                   ResolveFrom(*directory)));
        ASSIGN_OR_RETURN(const common::OverdueOrders overdue,
                         common::ReadOverdueOrders(db, stores, tail, now_ms, limit));
        nlohmann::json answer = common::OverdueOrdersJson(overdue, now_ms, limit);
        answer["scope"] = scope.empty() ? "network" : scope;
        return answer;
      });
}

int64_t CentralReads::WalBytes() const {
  return common::WalFileBytes(CentralDatabasePath(data_dir_));
}

std::string CentralReads::DatabasePath() const { return CentralDatabasePath(data_dir_); }

}  // namespace storepulse::central
