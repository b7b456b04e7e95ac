// `storepulse fleet`: the state of every store's edge as central sees it (GET /api/v1/fleet):
// online or not, backlog, lag, clock skew, disk, version, and the connections central refused.
// Exits 1 when the fleet needs attention (FleetNeedsAttention in fleet_table.h), so monitoring
// scripts can run it as a check; otherwise exit codes as in command.h. See docs/CLI.md.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace storepulse::cli {

int RunFleet(const std::vector<std::string>& args, CommandIo& io);

}  // namespace storepulse::cli
