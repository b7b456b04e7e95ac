// `storepulse context`: the store, its region and the network side by side — today so far and
// yesterday: net sales, its change against the same weekday last week, conversion, basket, UPT,
// NPS, availability, and the store's rank in its region on each — from the context central last
// sent the edge (GET /api/v1/context, or a stopped edge's data directory), with its age. Exit codes
// as in command.h; docs/CLI.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/command.h"
#include "common/status.h"

namespace storepulse::cli {

int RunContext(const std::vector<std::string>& args, CommandIo& io);

// The text of GET /api/v1/context's answer (exposed for tests). Internal for another shape.
common::StatusOr<std::string> RenderContext(const nlohmann::json& answer);

}  // namespace storepulse::cli
