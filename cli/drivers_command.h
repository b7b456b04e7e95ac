// `storepulse drivers`: why net sales are behind (or ahead), in money — GET /api/v1/drivers of a
// store's edge (its store) or of central (--central, with --scope: a store, a region, the
// network). Human table (drivers_table.h), or --json: the API's answer. Exit codes as in
// command.h; docs/CLI.md.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace storepulse::cli {

int RunDrivers(const std::vector<std::string>& args, CommandIo& io);

}  // namespace storepulse::cli
