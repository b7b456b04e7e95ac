// `storepulse orders --status overdue`: the orders still open past their promise
// (common/store/overdue_orders.h), from the store's edge (GET /api/v1/orders, or a stopped edge's
// data directory read-only) or, with --central or --scope, from central for a scope. Human table,
// or --json: the API's answer. Exit codes as in command.h; docs/CLI.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/command.h"
#include "common/status.h"

namespace storepulse::cli {

int RunOrders(const std::vector<std::string>& args, CommandIo& io);

// The table, from the API's answer (exposed for tests). Internal for an answer of the wrong shape.
common::StatusOr<std::string> RenderOverdueOrders(const nlohmann::json& answer);

}  // namespace storepulse::cli
