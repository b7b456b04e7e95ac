// `storepulse network`: network, region or store KPIs for a period from central
// (GET /api/v1/kpi?scope=&from=&to=&by=), in the same table as `storepulse kpi` — by=store and
// by=region give a wide table with a row per store or region — or as the API's JSON.
// Exit codes as in command.h. See docs/CLI.md.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace storepulse::cli {

int RunNetwork(const std::vector<std::string>& args, CommandIo& io);

}  // namespace storepulse::cli
