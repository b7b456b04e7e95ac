// `storepulse days`: the day sign-off of the stores as central holds it (GET /api/v1/days).
#pragma once

#include <string>
#include <vector>

#include "cli/command.h"

namespace storepulse::cli {

int RunDays(const std::vector<std::string>& args, CommandIo& io);

}  // namespace storepulse::cli
