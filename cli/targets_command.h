// `storepulse targets`: every KPI target of central's targets file against the actual of its
// current period (GET /api/v1/targets), as a table for central ops or as the API's JSON.
// Exit codes as in command.h. See docs/CLI.md.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace storepulse::cli {

int RunTargets(const std::vector<std::string>& args, CommandIo& io);

}  // namespace storepulse::cli
