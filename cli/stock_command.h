// `storepulse stock`: on-hand stock. `stock SKU` asks the store's edge (GET /api/v1/stock?sku=, or
// a stopped edge's data directory read-only); `stock` alone gives the store's availability and its
// out-of-stock SKUs; `stock SKU --network` asks central for the SKU in every store (the network
// stock view), `stock SKU --network --edge URL` the store's edge, which asks central over its
// replication connection (the store's stock, then the network's or why it is unavailable). Human
// tables, or --json: the API's answer. Exit codes as in command.h; docs/CLI.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/command.h"
#include "common/status.h"

namespace storepulse::cli {

int RunStock(const std::vector<std::string>& args, CommandIo& io);

// The tables, from the API's answers (exposed for tests). Internal for an answer of the wrong
// shape.
common::StatusOr<std::string> RenderEdgeStock(const nlohmann::json& answer);
common::StatusOr<std::string> RenderNetworkStock(const nlohmann::json& answer);
// The edge's GET /api/v1/stock?sku=&network=1: {"here", "network": {…} | "unavailable", "reason"}.
common::StatusOr<std::string> RenderEdgeNetworkStock(const nlohmann::json& answer);

// "never", "12 s", "4 min", "3 h", "2 d": how long ago, for a freshness in seconds.
std::string FormatAge(const nlohmann::json& seconds);

}  // namespace storepulse::cli
