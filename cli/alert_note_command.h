// `storepulse alerts ack ID` and `storepulse alerts silence ID --for 2h|--until TIME`: what an
// on-call engineer adds to an alert central has raised (POST /api/v1/alerts/ack and
// /api/v1/alerts/silence). Exit codes as in command.h; see docs/CLI.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.h"
#include "common/status.h"

namespace storepulse::cli {

// `args`: the words after "ack" or "silence".
int RunAlertAck(const std::vector<std::string>& args, CommandIo& io);
int RunAlertSilence(const std::vector<std::string>& args, CommandIo& io);

// "2h" → 7200, "90m", "45s", "1d", "1h30m"; InvalidArgument otherwise (or zero).
common::StatusOr<int64_t> ParseDurationSeconds(std::string_view text);

}  // namespace storepulse::cli
