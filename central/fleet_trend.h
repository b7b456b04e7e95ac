// GET /api/v1/fleet/trend (docs/DASHBOARDS.md, "Trends"): the last 1 to 24 hours minute by minute,
// of one store (`store=S`: events applied, worst replication lag) or of the network (no `store`:
// events summed over the stores file's stores, the worst lag among them, and how many stores
// reported one). Read from the Fleet's in-memory history (central/minute_history.h), so what
// this central heard since it started. Handlers run on the HTTP server's threads.
#pragma once

#include "central/central_http_server.h"

namespace httplib {
class Server;
}

namespace storepulse::central {

// REQUIRES: `context` outlives the server. ?store=S (a store of the stores file: else 404) and
// ?hours=1..24 (default 24: else 400).
void AddFleetTrendRoute(httplib::Server& server, const CentralHttpContext& context);

}  // namespace storepulse::central
