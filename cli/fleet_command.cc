#include "cli/fleet_command.h"

#include "cli/command_line.h"
#include "cli/fleet_table.h"
#include "cli/http_client.h"

namespace po = boost::program_options;

namespace storepulse::cli {
namespace {

using nlohmann::json;

constexpr std::string_view kUsage =
    "storepulse fleet — every store's edge as central sees it, and who central refused.\n"
    "\n"
    "Usage: storepulse fleet [--central URL] [--json]";

constexpr std::string_view kDetails =
    "One line of summary, then a table of the stores — offline and never-seen stores first,\n"
    "then those lagging (oldest unsent event over a minute old), with a FULL disk (the edge\n"
    "refuses new events) or a SKEWED clock (over 2 minutes off central's) — then the\n"
    "connections central refused (unknown keys, a key speaking for another store, …), each\n"
    "with what to do. Times are UTC. Backlog: events stored at the edge, not yet at central.\n"
    "\n"
    "Exit status (--json too), for monitoring scripts:\n"
    "  0 every store is online, no edge's disk is full, nothing refused in the last 10 minutes\n"
    "  1 a store is offline or was never seen, an edge's disk is full, or central refused a\n"
    "    connection in the last 10 minutes (lag and clock skew alone are only shown)\n"
    "  2 usage error\n"
    "  3 central cannot be reached\n"
    "\n"
    "Examples:\n"
    "  storepulse fleet\n"
    "  storepulse fleet --central http://central.example:8600 --json\n";

struct FleetFlags {
  std::string central = std::string(kDefaultCentralUrl);
  bool json = false;
};

po::options_description FleetOptions(FleetFlags* f) {
  po::options_description options;
  options.add_options()("central", po::value(&f->central)->default_value(f->central),
                        "central's HTTP URL")("json", po::bool_switch(&f->json),
                                              "print the API's JSON answer");
  return options;
}

int Show(const FleetFlags& flags, const json& fleet, CommandIo& io) {
  if (flags.json) {
    io.out << fleet.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  } else {
    common::StatusOr<std::string> text = RenderFleet(fleet);
    if (!text.ok()) {
      io.err << "storepulse fleet: " << text.status().message() << "\n";
      return kExitFailed;
    }
    io.out << *text;
  }
  return FleetNeedsAttention(fleet) ? kExitFailed : kExitOk;
}

}  // namespace

int RunFleet(const std::vector<std::string>& args, CommandIo& io) {
  FleetFlags flags;
  const po::options_description options = FleetOptions(&flags);
  po::variables_map values;
  bool help = false;
  common::Status parsed = ParseArguments(args, options, {}, &values, &help);
  if (help) {
    PrintCommandHelp(io.out, kUsage, options, kDetails);
    return kExitOk;
  }
  auto client = HttpClient::Create(Peer{"central", flags.central, "storepulse-central"});
  if (parsed.ok()) parsed = client.status();
  if (!parsed.ok()) return ReportUsageError(io.err, "fleet", parsed);
  common::StatusOr<json> fleet = (*client)->GetJson("/api/v1/fleet");
  if (!fleet.ok()) {
    io.err << "storepulse fleet: " << fleet.status().message() << "\n";
    return ExitCodeFor(fleet.status());
  }
  return Show(flags, *fleet, io);
}

}  // namespace storepulse::cli
