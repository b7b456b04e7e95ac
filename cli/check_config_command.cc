#include "cli/check_config_command.h"

#include "cli/command_line.h"
#include "cli/program_runner.h"

namespace po = boost::program_options;

namespace storepulse::cli {
namespace {

constexpr std::string_view kUsage =
    "storepulse check-config — whether a daemon can run with a config file.\n"
    "\n"
    "Usage: storepulse check-config --edge-config FILE [--daemon PATH]\n"
    "       storepulse check-config --central-config FILE [--daemon PATH]";

constexpr std::string_view kDetails =
    "Runs the daemon's own check, `storepulse-edge --config FILE --check-config` (or\n"
    "storepulse-central's): the same check as the systemd unit's ExecStartPre. It reads the\n"
    "file (unknown keys and bad values are errors), then checks it against this machine: time\n"
    "zone, key files, central's public key, the stores file, the data directory (created if\n"
    "missing). Run it as the user the daemon runs as (sudo -u storepulse …) to check file\n"
    "permissions too. The daemon is looked for next to storepulse, then in $PATH.\n"
    "\n"
    "Exit status: 0 the configuration is usable, 1 it is not (the daemon says why), 2 usage\n"
    "error, or the daemon program cannot be found or run.\n"
    "\n"
    "Examples:\n"
    "  storepulse check-config --edge-config /etc/storepulse/edge.conf\n"
    "  sudo -u storepulse storepulse check-config --central-config /etc/storepulse/central.conf\n";

constexpr std::chrono::seconds kCheckTimeout{60};

struct CheckConfigFlags {
  std::string edge_config;
  std::string central_config;
  std::string daemon;
};

po::options_description CheckConfigOptions(CheckConfigFlags* f) {
  po::options_description options;
  options.add_options()("edge-config", po::value(&f->edge_config),
                        "an edge config file (e.g. /etc/storepulse/edge.conf)")(
      "central-config", po::value(&f->central_config),
      "a central config file (e.g. /etc/storepulse/central.conf)")(
      "daemon", po::value(&f->daemon),
      "the daemon program to run (default: storepulse-edge or storepulse-central next to "
      "storepulse, else in $PATH)");
  return options;
}

common::Status CheckFlags(const CheckConfigFlags& flags) {
  if (flags.edge_config.empty() == flags.central_config.empty()) {
    return common::InvalidArgument("give one of --edge-config FILE or --central-config FILE");
  }
  return common::OkStatus();
}

// Runs `program --config file --check-config` and relays its answer: to `out` when the
// configuration is usable, to `err` otherwise.
int RunCheckWith(const std::string& program, const std::string& file, CommandIo& io) {
  common::StatusOr<ProgramResult> result =
      RunProgram({program, "--config", file, "--check-config"}, kCheckTimeout);
  if (!result.ok()) {
    io.err << "storepulse check-config: " << result.status().message() << "\n";
    return kExitUsage;
  }
  if (result->exit_status == 0) {
    io.out << result->output;
    return kExitOk;
  }
  io.err << result->output;
  if (!result->output.empty() && result->output.back() != '\n') io.err << "\n";
  io.err << "storepulse check-config: " << file << " is not usable (" << program
         << " --check-config exited with status " << result->exit_status << ")\n";
  return kExitFailed;
}

// Finds `daemon` (a program name) and runs the check with it.
int RunCheck(const std::string& daemon, const std::string& file, CommandIo& io) {
  common::StatusOr<std::string> program = FindProgram(daemon);
  if (!program.ok()) {
    io.err << "storepulse check-config: " << program.status().message()
           << ": install its package, or pass --daemon PATH\n";
    return kExitUsage;
  }
  return RunCheckWith(*program, file, io);
}

}  // namespace

int RunCheckConfig(const std::vector<std::string>& args, CommandIo& io) {
  CheckConfigFlags flags;
  const po::options_description options = CheckConfigOptions(&flags);
  const CommandLine line{"check-config", kUsage, options, kDetails};
  auto check = [&](const po::variables_map&) { return CheckFlags(flags); };
  if (auto done = ReadCommandLine(line, args, io, check)) return *done;
  const bool edge = !flags.edge_config.empty();
  const std::string file = edge ? flags.edge_config : flags.central_config;
  if (!flags.daemon.empty()) return RunCheckWith(flags.daemon, file, io);
  return RunCheck(edge ? "storepulse-edge" : "storepulse-central", file, io);
}

}  // namespace storepulse::cli
