// `storepulse kpi`: a store's KPIs for a period (today by default), from a running edge over HTTP
// (GET /api/v1/kpi) or read-only from a stopped edge's data directory, as a table or as the API's
// JSON. Exit codes as in command.h. See docs/CLI.md.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace storepulse::cli {

int RunKpi(const std::vector<std::string>& args, CommandIo& io);

}  // namespace storepulse::cli
