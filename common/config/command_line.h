// The command line shared by both daemons: their own options (declared once per daemon, the same
// names as flags and as keys of the INI `--config FILE`) plus --config, --help, --version and
// --check-config. The adapter over Boost.Program_options: its exceptions become a Status here.
#pragma once

#include <ostream>
#include <string>

#include <boost/program_options.hpp>

#include "common/status.h"

namespace storepulse::common {

// kMan: the hidden --man, the manual page on stdout (common/config/man_page.h).
enum class DaemonAction { kRun, kHelp, kVersion, kCheckConfig, kMan };

// The options every daemon has besides its own: --help, --version, --check-config, --config FILE
// (bound to `*config_file`).
boost::program_options::options_description DaemonGeneralOptions(std::string* config_file);

// Parses `argv` and then, if --config names a file, that file (the command line wins). Unknown
// options, malformed values and an unreadable config file give InvalidArgument with the reason.
// With --help, writes `usage`, every option with its default and `help_footer` to `help_out`.
StatusOr<DaemonAction> ParseCommandLine(int argc, const char* const* argv, const std::string& usage,
                                        const boost::program_options::options_description& options,
                                        boost::program_options::variables_map* values,
                                        std::ostream& help_out,
                                        const std::string& help_footer = "");

// "storepulse-edge 0.1.0"
std::string VersionLine(const std::string& program);

}  // namespace storepulse::common
