// `storepulse check-config --edge-config FILE | --central-config FILE`: whether a daemon can run
// with that config file. It runs the daemon's own check — `storepulse-edge --config FILE
// --check-config` (or storepulse-central's), the same command as the systemd units'
// ExecStartPre — and relays its answer, so there is one check, never a second copy that could
// disagree with the daemon. Exit codes as in command.h. See docs/CLI.md.
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace storepulse::cli {

int RunCheckConfig(const std::vector<std::string>& args, CommandIo& io);

}  // namespace storepulse::cli
