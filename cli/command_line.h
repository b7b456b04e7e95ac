// The adapter between subcommands and Boost.Program_options: parses a subcommand's words against
// its option description, turning the library's exceptions into InvalidArgument (STYLE rule 4),
// and prints a subcommand's help in one shape. Stateless; thread-safe.
#pragma once

#include <boost/program_options.hpp>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.h"
#include "common/status.h"

namespace storepulse::cli {

// Parses `args` into `values` (and the variables bound in `options`), with `positional` naming the
// positional arguments. Adds -h/--help to `options`' copy; `*help` tells whether it was given, in
// which case nothing else is checked. InvalidArgument with the library's reason otherwise.
common::Status ParseArguments(
    const std::vector<std::string>& args,
    const boost::program_options::options_description& options,
    const boost::program_options::positional_options_description& positional,
    boost::program_options::variables_map* values, bool* help);

// The last line of every --help: where the manual and the documentation are installed.
inline constexpr std::string_view kDocsPointer =
    "Manual: man storepulse. Documentation: /usr/share/doc/storepulse-cli/CLI.md (every command\n"
    "and flag), OPERATIONS.md and the others beside it.\n";

// Writes `usage`, the options (with -h/--help), `details` and kDocsPointer to `out`. `options` holds only what
// help should list (not the positional arguments).
void PrintCommandHelp(std::ostream& out, std::string_view usage,
                      const boost::program_options::options_description& options,
                      std::string_view details);

// "storepulse ingest: <message>\n(see storepulse ingest --help)\n" for a usage error.
int ReportUsageError(std::ostream& err, std::string_view command, const common::Status& status);

// What a subcommand's words are read against, and what its --help shows.
struct CommandLine {
  std::string_view name;  // "ingest"
  std::string_view usage;
  const boost::program_options::options_description& options;  // the ones --help lists
  std::string_view details;
  // An optional positional argument, e.g. "file", and the variable it fills.
  const char* positional = nullptr;
  std::string* positional_value = nullptr;
};

// Checks the flags once parsed (ranges, combinations); InvalidArgument explains a usage error.
using FlagCheck =
    std::function<common::Status(const boost::program_options::variables_map& values)>;

// Reads a subcommand's words the one way they all are: -h/--help prints the help and answers
// kExitOk (so does the hidden --man, alone, which writes the command's part of the manual page); a bad word, or a failed `check`, is reported as a usage error and answers kExitUsage;
// nothing means go on, with the options' variables filled in.
std::optional<int> ReadCommandLine(const CommandLine& line, const std::vector<std::string>& args,
                                   CommandIo& io, const FlagCheck& check = {});

}  // namespace storepulse::cli
