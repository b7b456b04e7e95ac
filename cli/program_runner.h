// Other programs, for the subcommands that hand work to a daemon's own code path (check-config
// runs `storepulse-edge --check-config`): finding a storepulse program installed beside this one,
// and running a program to completion with its output captured. Stateless; thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/status.h"

namespace storepulse::cli {

struct ProgramResult {
  int exit_status = -1;  // its exit code, or 128 + the signal that ended it
  std::string output;    // what it wrote to stdout and stderr, interleaved as written
};

// The path of the program `name`: in the directory of the running executable (/proc/self/exe, so
// an installed /usr/bin/storepulse finds /usr/bin/storepulse-edge), else the first in $PATH.
// NotFound, naming where it looked, otherwise.
common::StatusOr<std::string> FindProgram(const std::string& name);

// Runs argv (argv[0] a path) with this environment and stdin from /dev/null until it exits.
// Unavailable when it cannot be started, or when it has not finished within `timeout` (it is
// then killed with SIGKILL).
common::StatusOr<ProgramResult> RunProgram(const std::vector<std::string>& argv,
                                           std::chrono::milliseconds timeout);

}  // namespace storepulse::cli
