// `storepulse ingest FILE`: imports a JSON Lines or CSV file of events into an edge over HTTP
// (POST /api/v1/events), in batches, and reports every rejected event against its file line.
// Exit codes as in command.h. See docs/CLI.md.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace storepulse::cli {

inline constexpr std::string_view kDefaultEdgeUrl = "http://127.0.0.1:8601";

int RunIngest(const std::vector<std::string>& args, CommandIo& io);

}  // namespace storepulse::cli
