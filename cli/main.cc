// storepulse: the command-line tool for installers, store staff and central ops (SPEC §6).
// This file is the dispatcher only: the table of subcommands, the top-level help and --version.
// Each subcommand lives in its own <name>_command.{h,cc}. See docs/CLI.md.
#include <signal.h>
#include <unistd.h>

#include <array>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/alerts_command.h"
#include "cli/check_config_command.h"
#include "cli/command.h"
#include "cli/command_line.h"
#include "cli/context_command.h"
#include "cli/days_command.h"
#include "cli/drivers_command.h"
#include "cli/enroll_command.h"
#include "cli/fleet_command.h"
#include "cli/ingest_command.h"
#include "cli/keygen_command.h"
#include "cli/kpi_command.h"
#include "cli/network_command.h"
#include "cli/orders_command.h"
#include "cli/report_command.h"
#include "cli/simulate_command.h"
#include "cli/stock_command.h"
#include "cli/stores_command.h"
#include "cli/targets_command.h"
#include "common/config/man_page.h"

namespace sp = storepulse::cli;

namespace {

// Every subcommand, in the order `storepulse --help` lists them. Adding one is one line here.
constexpr std::array kCommands = {
    sp::Command{"ingest", "import events from a JSON Lines or CSV file into an edge",
                "storepulse ingest till-export.csv --edge http://127.0.0.1:8601", &sp::RunIngest},
    sp::Command{"kpi", "a store's KPIs (today by default) from its edge, or a stopped edge's data",
                "storepulse kpi --from 2026-11-01 --to 2026-11-08 --by day", &sp::RunKpi},
    sp::Command{"orders", "the orders open past their promise, at the store or from central",
                "storepulse orders --status overdue", &sp::RunOrders},
    sp::Command{"stock", "on-hand of a SKU at the store, or in every store (--network, central)",
                "storepulse stock SKU-00042 --network", &sp::RunStock},
    sp::Command{"simulate", "seeded store traffic to a JSON Lines file, or live to edges",
                "storepulse simulate --store S1 --timezone Europe/Paris --days 7 --out s1.jsonl",
                &sp::RunSimulate},
    sp::Command{"network", "KPIs of the network, a region or a store, from central",
                "storepulse network --by store --from 2026-11-01 --to 2026-11-08", &sp::RunNetwork},
    sp::Command{"fleet", "every store's edge as central sees it; exit 1 if one needs attention",
                "storepulse fleet --central http://central.example:8600", &sp::RunFleet},
    sp::Command{"days", "the closed days central certified per store; exit 1 if one differs",
                "storepulse days --store S042 --from 2026-11-01 --to 2026-11-30", &sp::RunDays},
    sp::Command{"alerts", "the alerts central has raised (exit 1 if any); alerts ack|silence ID",
                "storepulse alerts --central http://central.example:8600", &sp::RunAlerts},
    sp::Command{"context",
                "The store beside its region and the network, today and yesterday (edge)",
                "storepulse context", &sp::RunContext},
    sp::Command{"report", "The reports head office defines, listed or run for this store (edge)",
                "storepulse report daily", &sp::RunReport},
    sp::Command{"targets", "KPI targets against their current period (central, or --edge: pace)",
                "storepulse targets --json", &sp::RunTargets},
    sp::Command{"drivers", "why net sales are behind: footfall, conversion, basket (edge/central)",
                "storepulse drivers --against target", &sp::RunDrivers},
    sp::Command{"keygen", "a CurveZMQ key pair (PREFIX.key, PREFIX.pub) for an edge or central",
                "storepulse keygen --out /etc/storepulse/edge --store S042", &sp::RunKeygen},
    sp::Command{"enroll", "make this store server an edge of central: keys, edge.conf, stores line",
                "storepulse enroll --store S042 --central central.example:7600 "
                "--central-key central.pub",
                &sp::RunEnroll},
    sp::Command{"stores", "add a store (the line enroll printed) to central's stores file, reload",
                "storepulse stores add 'S042,KEY,Paris Rivoli,FR-North,Europe/Paris,850'",
                &sp::RunStores},
    sp::Command{"check-config", "run a daemon's own check of its config file",
                "storepulse check-config --edge-config /etc/storepulse/edge.conf",
                &sp::RunCheckConfig},
};

constexpr size_t kNameWidth = 14;  // the longest name ("check-config") and two spaces

void PrintHelp(std::ostream& out) {
  out << "storepulse — the storepulse command-line tool: import events into a store's edge and\n"
         "read its KPIs; network KPIs and the fleet from central; keys and config checks for\n"
         "installers.\n\n"
         "Usage: storepulse COMMAND [options]      (storepulse COMMAND --help for its options)\n"
         "       storepulse help [COMMAND] | --help | --version\n\n"
         "Commands:\n";
  for (const sp::Command& command : kCommands) {
    out << "  " << command.name << std::string(kNameWidth - command.name.size(), ' ')
        << command.summary << "\n"
        << std::string(kNameWidth + 2, ' ') << "e.g. " << command.example << "\n";
  }
  out << "\nAn edge is reached with --edge URL (default http://127.0.0.1:8601), central with\n"
         "--central URL (default http://127.0.0.1:8600).\n"
         "Exit status: 0 OK; 1 events rejected, a request failed, a bad config (check-config) or\n"
         "a fleet needing attention; 2 usage error; 3 the edge (or central) cannot be reached.\n\n"
      << sp::kDocsPointer;
}

// The hidden --man: storepulse(1), each command's options as its own subsection, written by the
// command itself from the table its --help prints.
void WriteManPage(std::ostream& out) {
  std::ostringstream commands;
  for (const sp::Command& command : kCommands) {
    std::ostringstream unused;
    sp::CommandIo io{commands, unused, false};
    command.run({"--man"}, io);
  }
  std::string description =
      "storepulse is the one command for installers, store staff and central ops. It talks to a\n"
      "store's edge over its HTTP API (--edge URL, default http://127.0.0.1:8601) or reads a\n"
      "stopped edge's database, and to central over its HTTP API (--central URL, default\n"
      "http://127.0.0.1:8600). Every command prints a human table by default and the API's JSON\n"
      "with --json.\n\nCommands:\n";
  for (const sp::Command& command : kCommands) {
    description += "  " + std::string(command.name) +
                   std::string(kNameWidth - command.name.size(), ' ') +
                   std::string(command.summary) + "\n";
  }
  description +=
      "\nExit status: 0 OK; 1 events rejected, a request failed, a refusal (enroll, stores add,\n"
      "keygen), a bad config (check-config) or a fleet needing attention; 2 usage error; 3 the\n"
      "edge (or central) cannot be reached.\n";
  storepulse::common::ManPage page{
      "storepulse",
      1,
      "the storepulse command-line tool: store and network KPIs, the fleet, enrolment",
      {"COMMAND [options]", "COMMAND --help", "--help | --version"},
      description,
      {},
      commands.str(),
      {{"/etc/storepulse/", "keys, stores file and daemon configuration (enroll, stores add, "
                            "keygen, check-config)"},
       {"/usr/share/doc/storepulse-cli/CLI.md", "every command and flag, with examples"}},
      {"storepulse-edge(8)", "storepulse-central(8)",
       "/usr/share/doc/storepulse-cli/ (CLI.md, OPERATIONS.md, KPIS.md, CONNECTORS.md and the "
       "others)"}};
  storepulse::common::WriteManPage(page, out);
}

const sp::Command* FindCommand(const std::string& name) {
  for (const sp::Command& command : kCommands) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

int Dispatch(const std::vector<std::string>& args, sp::CommandIo& io) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" ||
      (args[0] == "help" && args.size() == 1)) {
    PrintHelp(args.empty() ? io.err : io.out);
    return args.empty() ? sp::kExitUsage : sp::kExitOk;
  }
  if (args[0] == "--man" && args.size() == 1) {
    WriteManPage(io.out);
    return sp::kExitOk;
  }
  if (args[0] == "--version") {
    io.out << "storepulse " << STOREPULSE_VERSION << "\n";
    return sp::kExitOk;
  }
  const bool help = args[0] == "help";
  const sp::Command* command = FindCommand(help ? args[1] : args[0]);
  if (command == nullptr) {
    io.err << "storepulse: unknown command \"" << (help ? args[1] : args[0])
           << "\" (see storepulse --help)\n";
    return sp::kExitUsage;
  }
  if (help) return command->run({"--help"}, io);
  return command->run(std::vector<std::string>(args.begin() + 1, args.end()), io);
}

}  // namespace

int main(int argc, char** argv) {
  // OpenSSL writes an https:// connection with write(), not send(MSG_NOSIGNAL) as cpp-httplib
  // does over plain HTTP: a daemon closing the connection (its per-client cap, a restart) must be
  // an error the command reports, not a SIGPIPE that kills it without a word.
  signal(SIGPIPE, SIG_IGN);
  try {
    sp::CommandIo io{std::cout, std::cerr, isatty(STDERR_FILENO) == 1};
    return Dispatch(std::vector<std::string>(argv + 1, argv + argc), io);
  } catch (const std::exception& e) {  // last resort: a bug, not an input error
    std::cerr << "storepulse: internal error: " << e.what() << "\n";
    return 70;
  }
}
