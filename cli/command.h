// What every `storepulse` subcommand looks like to the dispatcher in main.cc, and the exit codes
// they share (docs/CLI.md). A command parses its own arguments (Boost.Program_options, see
// command_line.h), writes results to `out` and diagnostics to `err`, and returns an exit code;
// it never lets an exception escape. Plain values; a command runs on the caller's thread.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace storepulse::cli {

// Exit codes of every subcommand.
inline constexpr int kExitOk = 0;           // everything done, nothing rejected
inline constexpr int kExitFailed = 1;       // events rejected, a batch refused, a request failed
inline constexpr int kExitUsage = 2;        // bad flags or arguments, unreadable input file
inline constexpr int kExitUnreachable = 3;  // the edge/central (or the database) cannot be reached

// Where central's HTTP API is, unless --central says otherwise (SPEC §6).
inline constexpr std::string_view kDefaultCentralUrl = "http://127.0.0.1:8600";

// Where a command writes. `err_is_tty` tells whether progress lines may be redrawn in place.
struct CommandIo {
  std::ostream& out;
  std::ostream& err;
  bool err_is_tty = false;
};

// A subcommand's entry point: `args` are the words after the subcommand's name.
using CommandFn = int (*)(const std::vector<std::string>& args, CommandIo& io);

struct Command {
  std::string_view name;     // "ingest"
  std::string_view summary;  // one line for `storepulse --help`
  std::string_view example;  // one typical invocation
  CommandFn run;
};

// The exit code for a failed Status: usage for InvalidArgument, unreachable for Unavailable,
// failed otherwise.
int ExitCodeFor(const common::Status& status);

}  // namespace storepulse::cli
