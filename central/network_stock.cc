#include "central/network_stock.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <httplib.h>

#include "central/central_kpis.h"
#include "central/central_store.h"
#include "common/checked_math.h"
#include "common/event_limits.h"
#include "common/http/guarded_http_server.h"
#include "common/http/http_json.h"
#include "common/http/query_params.h"
#include "common/store/sqlite_errors.h"
#include "common/store/stock_table.h"
#include "common/time_util.h"

namespace storepulse::central {
namespace {

nlohmann::json StoreRow(const StoreEntry& entry, const std::optional<common::SkuStockRow>& row,
                        const std::map<std::string, int64_t>& last_applied, const Fleet& fleet,
                        int64_t now_ms) {
  const common::SkuStock stock = row ? row->stock : common::SkuStock{};
  auto applied = last_applied.find(entry.store);
  return {
      {"store", entry.store},
      {"name", entry.name},
      {"region", entry.region},
      {"on_hand", stock.on_hand},
      {"ranged", stock.ranged},
      {"last_movement", stock.last_ts == 0
                            ? nlohmann::json(nullptr)
                            : nlohmann::json(common::FormatRfc3339Utc(stock.last_ts))},
      {"freshness_s", applied == last_applied.end()
                          ? nlohmann::json(nullptr)
                          : nlohmann::json(std::max<int64_t>(0, now_ms - applied->second) / 1000)},
      {"online", fleet.Online(entry.store, now_ms)}};
}

}  // namespace

common::StatusOr<nlohmann::json> QueryNetworkStock(SQLite::Database& db,
                                                   const StoreDirectory& directory,
                                                   const Fleet& fleet, const std::string& sku,
                                                   int64_t now_ms) {
  if (sku.empty()) return common::InvalidArgument("sku: required (GET /api/v1/stock?sku=SKU)");
  if (sku.size() > common::kMaxTextBytes) {
    return common::InvalidArgument("sku: longer than " + std::to_string(common::kMaxTextBytes) +
                                   " bytes, no event can carry it");
  }
  common::ReadSnapshot snapshot(db);  // the views and the pending events of one instant
  ASSIGN_OR_RETURN(const auto last_applied, ReadLastApplied(db));
  ASSIGN_OR_RETURN(const common::PendingTail tail,
                   common::PendingTail::Read(db, common::EventLogKind::kCentral, "",
                                             ResolveFrom(directory)));
  nlohmann::json stores = nlohmann::json::array();
  int64_t total = 0, in_stock = 0;
  for (const StoreEntry& entry : directory.stores()) {
    ASSIGN_OR_RETURN(const std::optional<common::SkuStockRow> row,
                     common::ReadSkuStockNow(db, entry.store, sku, tail.ForStore(entry.store)));
    const int64_t on_hand = row ? row->stock.on_hand : 0;
    std::optional<int64_t> sum = common::CheckedAdd(total, std::max<int64_t>(on_hand, 0));
    if (!sum) {
      return common::SumOverflow(
          "the network's on-hand of SKU " + sku + " (store " + entry.store + ")", total, on_hand);
    }
    total = *sum;
    in_stock += on_hand > 0 ? 1 : 0;
    stores.push_back(StoreRow(entry, row, last_applied, fleet, now_ms));
  }
  return nlohmann::json{{"sku", sku},
                        {"total_on_hand", total},
                        {"stores_in_stock", in_stock},
                        {"stores", std::move(stores)}};
}

void AddStockRoute(common::GuardedHttpServer& server, const CentralHttpContext& context) {
  server.Get("/api/v1/stock", [&context](const httplib::Request& req, httplib::Response& res) {
    auto params = common::QueryParams::Read(req, {common::kSkuParam});
    if (!params.ok()) return common::SendError(res, 400, params.status().message());
    auto answer = context.reads->NetworkStock(params->Get("sku"), context.clock->NowMs());
    if (!answer.ok()) {
      return common::SendError(res, common::HttpStatusFor(answer.status()),
                               answer.status().message());
    }
    common::SendJson(res, 200, *answer);
  });
}

}  // namespace storepulse::central
