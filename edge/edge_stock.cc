#include "edge/edge_stock.h"

#include "common/event_limits.h"
#include "common/store/view_readers.h"
#include "common/time_util.h"
#include "edge/edge_kpis.h"
#include "edge/event_store.h"
#include "edge/held_catalogue.h"

namespace storepulse::edge {
namespace {

nlohmann::json TimeOrNull(int64_t utc_ms) {
  return utc_ms == 0 ? nlohmann::json(nullptr) : nlohmann::json(common::FormatRfc3339Utc(utc_ms));
}

// The catalogue's name of `sku`, null when the edge holds no catalogue or it lacks the SKU.
nlohmann::json NameOf(const common::Catalogue* catalogue, const std::string& sku) {
  const common::Product* product = catalogue ? catalogue->Find(sku) : nullptr;
  return product && !product->name.empty() ? nlohmann::json(product->name)
                                           : nlohmann::json(nullptr);
}

common::StatusOr<nlohmann::json> SkuAnswer(SQLite::Database& db, const StoreInfo& info,
                                           const common::StoreTail* tail, const std::string& sku) {
  ASSIGN_OR_RETURN(std::optional<common::SkuStockRow> row,
                   common::ReadSkuStockNow(db, info.store, sku, tail));
  const common::SkuStock stock = row ? row->stock : common::SkuStock{};
  return nlohmann::json{{"store", info.store},
                        {"timezone", info.timezone},
                        {"sku", sku},
                        {"name", NameOf(HeldCatalogue(db).get(), sku)},
                        {"on_hand", stock.on_hand},
                        {"ranged", stock.ranged},
                        {"last_movement", TimeOrNull(stock.last_ts)},
                        {"updated", TimeOrNull(row ? row->updated_ms : 0)}};
}

common::StatusOr<nlohmann::json> SummaryAnswer(SQLite::Database& db, const StoreInfo& info,
                                               const common::StoreTail* tail) {
  ASSIGN_OR_RETURN(common::StockSummary summary,
                   common::ReadStockSummaryNow(db, info.store, kOutOfStockListLimit, tail));
  const common::StockTotals& t = summary.totals;
  const std::shared_ptr<const common::Catalogue> catalogue = HeldCatalogue(db);
  nlohmann::json names = nlohmann::json::object();
  for (const std::string& sku : summary.out_of_stock) {
    if (nlohmann::json name = NameOf(catalogue.get(), sku); !name.is_null()) names[sku] = name;
  }
  return nlohmann::json{
      {"store", info.store},
      {"timezone", info.timezone},
      {"ranged", t.ranged},
      {"in_stock", t.in_stock},
      {"out_of_stock", t.ranged - t.in_stock},
      {"out_of_stock_skus", summary.out_of_stock},
      {"out_of_stock_names", std::move(names)},
      {"on_hand_total", t.on_hand_total},
      {"availability", t.ranged == 0 ? nlohmann::json(nullptr)
                                     : nlohmann::json(static_cast<double>(t.in_stock) /
                                                      static_cast<double>(t.ranged))}};
}

}  // namespace

common::StatusOr<nlohmann::json> QueryEdgeStock(SQLite::Database& db, const std::string& sku) {
  if (sku.size() > common::kMaxTextBytes) {
    return common::InvalidArgument("sku: longer than " + std::to_string(common::kMaxTextBytes) +
                                   " bytes, no event can carry it");
  }
  common::ReadSnapshot snapshot(db);  // the views and the pending events of one instant
  ASSIGN_OR_RETURN(StoreInfo info, ReadStoreInfo(db));
  ASSIGN_OR_RETURN(common::TimeZone zone, common::TimeZone::Load(info.timezone));
  ASSIGN_OR_RETURN(common::PendingTail pending, ReadEdgeTail(db, info, zone));
  const common::StoreTail* tail = pending.ForStore(info.store);
  return sku.empty() ? SummaryAnswer(db, info, tail) : SkuAnswer(db, info, tail, sku);
}

common::StatusOr<common::OverdueOrders> QueryEdgeOverdueOrders(SQLite::Database& db, int64_t now_ms,
                                                               int64_t limit) {
  common::ReadSnapshot snapshot(db);  // the views and the pending events of one instant
  ASSIGN_OR_RETURN(StoreInfo info, ReadStoreInfo(db));
  ASSIGN_OR_RETURN(common::TimeZone zone, common::TimeZone::Load(info.timezone));
  ASSIGN_OR_RETURN(common::PendingTail pending, ReadEdgeTail(db, info, zone));
  return common::ReadOverdueOrders(db, {info.store}, pending, now_ms, limit);
}

}  // namespace storepulse::edge
