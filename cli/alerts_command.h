// `storepulse alerts`: the alerts central has raised (GET /api/v1/alerts), as a table for central
// ops or as the API's JSON; the exit status says whether any is raised, for monitoring scripts.
// Exit codes as in command.h. See docs/CLI.md.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace storepulse::cli {

int RunAlerts(const std::vector<std::string>& args, CommandIo& io);

}  // namespace storepulse::cli
