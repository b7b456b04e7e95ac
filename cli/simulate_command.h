// `storepulse simulate`: seeded, realistic store traffic (common/sim/store_simulator.h) written to
// JSON Lines files for `storepulse ingest`, or fed live to running edges in accelerated real time
// (live_feeder.h), several stores from one process. Exit codes as in command.h. See
// docs/SIMULATOR.md.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace storepulse::cli {

int RunSimulate(const std::vector<std::string>& args, CommandIo& io);

}  // namespace storepulse::cli
