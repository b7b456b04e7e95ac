#include "cli/alerts_command.h"

#include "cli/alerts_table.h"
#include "cli/central_view.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

constexpr std::string_view kUsage =
    "storepulse alerts — the alerts central has raised: KPIs out of bounds and edges in trouble.\n"
    "\n"
    "Usage: storepulse alerts [--central URL] [--json]";

constexpr std::string_view kDetails =
    "KPI alerts look at each store's local today: click & collect sourced from the warehouse\n"
    "above 50%, ship-from-store orders cancelled for stock above 5%, availability below 90%.\n"
    "Fleet alerts: a store silent for over 15 minutes (critical), replication lag over 5\n"
    "minutes, a clock over 2 minutes off, an edge refusing events for a full disk (critical) or\n"
    "low on disk. Thresholds are central's --alert-* options. Critical alerts come first, then\n"
    "the newest; each says since when it is raised, the figure that raised it and what to do.\n"
    "An alert clears by itself when the figure recovers; cleared ones are listed for an hour.\n"
    "Since-when lives in central's memory: a restart of central raises them again from then.\n"
    "\n"
    "Exit status (--json too), for monitoring scripts:\n"
    "  0 no alert raised\n"
    "  1 at least one alert raised (or the request failed)\n"
    "  2 usage error\n"
    "  3 central cannot be reached\n"
    "\n"
    "Examples:\n"
    "  storepulse alerts\n"
    "  storepulse alerts --central http://central.example:8600 --json\n";

bool AnyRaised(const json& answer) {
  return answer.contains("alerts") && answer["alerts"].is_array() && !answer["alerts"].empty();
}

}  // namespace

int RunAlerts(const std::vector<std::string>& args, CommandIo& io) {
  return RunCentralView({"alerts", kUsage, kDetails, "/api/v1/alerts", RenderAlerts, AnyRaised},
                        args, io);
}

}  // namespace storepulse::cli
