// The network stock view (SPEC §3, §6: GET /api/v1/stock?sku= at central, `storepulse stock SKU
// --network`): the on-hand of one SKU in every store of the stores file, with how fresh central's
// copy of each store is, for click & collect and delivery promises across stores. Read from the
// stock table of central.db (common/store/stock_table.h); handlers run on the HTTP server's
// threads.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "central/central_http_server.h"
#include "central/fleet.h"
#include "central/stores_file.h"
#include "common/status.h"

namespace SQLite {
class Database;
}
namespace storepulse::common {
class GuardedHttpServer;
}

namespace storepulse::central {

// {"sku", "total_on_hand": Σ max(on_hand, 0), "stores_in_stock": stores with on_hand > 0,
//  "stores": [{"store","name","region","on_hand","ranged","last_movement","freshness_s","online"}]}
// — every store of `directory`, in its order; a store where the SKU never moved has on_hand 0,
// ranged false, last_movement null. freshness_s: seconds since central last applied a batch of the
// store (null if never); online: the fleet's view. InvalidArgument for an empty or oversized SKU.
common::StatusOr<nlohmann::json> QueryNetworkStock(SQLite::Database& db,
                                                   const StoreDirectory& directory,
                                                   const Fleet& fleet, const std::string& sku,
                                                   int64_t now_ms);

// GET /api/v1/stock?sku=. REQUIRES: `context` outlives the server.
void AddStockRoute(common::GuardedHttpServer& server, const CentralHttpContext& context);

}  // namespace storepulse::central
