#include "cli/fleet_command.h"

#include "cli/central_view.h"
#include "cli/fleet_table.h"

namespace storepulse::cli {
namespace {

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

}  // namespace

int RunFleet(const std::vector<std::string>& args, CommandIo& io) {
  return RunCentralView({"fleet", kUsage, kDetails, "/api/v1/fleet", RenderFleet, FleetNeedsAttention},
                        args, io);
}

}  // namespace storepulse::cli
