// GET /api/v1/fleet/trend (docs/DASHBOARDS.md, "Trends"): the last 1 to 24 hours minute by minute,
// of one store (`store=S`: events applied, worst replication lag) or of the network (no `store`:
// events summed over the stores file's stores, the worst lag among them, and how many stores
// reported one). Read from the Fleet's in-memory history (central/minute_history.h), so what
// this central heard since it started. Handlers run on the HTTP server's threads.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "central/central_http_server.h"
#include "central/fleet.h"
#include "central/stores_file.h"

namespace httplib {
class Server;
}

namespace storepulse::central {

// One minute of the network.
struct NetworkMinute {
  int64_t minute = 0;  // minutes since the Unix epoch
  int64_t events = 0;  // summed over the stores
  std::optional<int64_t> worst_lag_s;  // among the stores that reported a lag that minute
  int64_t stores_reporting = 0;        // stores with a heartbeat that minute
};

// The network's last `minutes` minutes, oldest first, over the directory's stores.
std::vector<NetworkMinute> NetworkTrend(const Fleet& fleet, const StoreDirectory& directory,
                                        int minutes, int64_t now_ms);

// REQUIRES: `context` outlives the server. ?store=S (a store of the stores file: else 404) and
// ?hours=1..24 (default 24: else 400).
void AddFleetTrendRoute(httplib::Server& server, const CentralHttpContext& context);

}  // namespace storepulse::central
