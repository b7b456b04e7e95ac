#include "cli/alerts_command.h"

#include "cli/alert_note_command.h"
#include "cli/alerts_table.h"
#include "cli/central_view.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

constexpr std::string_view kUsage =
    "storepulse alerts — the alerts central has raised: KPIs out of bounds and edges in trouble.\n"
    "\n"
    "Usage: storepulse alerts [--central URL] [--json]\n"
    "       storepulse alerts ack ID [--comment TEXT]\n"
    "       storepulse alerts silence ID --for 2h|--until TIME [--comment TEXT]";

constexpr std::string_view kDetails =
    "KPI alerts look at each store's local today: click & collect sourced from the warehouse\n"
    "above 50%, ship-from-store orders cancelled for stock above 5%, availability below 90%.\n"
    "Fleet alerts: a store silent for over a minute (warning) then over 15 minutes (critical),\n"
    "replication lag over 5 minutes (critical over an hour), a clock over 2 minutes off, an\n"
    "edge refusing events for a full disk (critical) or low on disk. Thresholds are central's\n"
    "--alert-* options. Critical alerts come first, then the newest; each says since when it is\n"
    "raised, the figure that raised it, whether it is acknowledged or silenced, and what to do.\n"
    "An alert clears by itself when the figure recovers; cleared ones are listed for an hour.\n"
    "Central keeps all of it in alerts.db: a restart changes nothing. `ack` and `silence`: see\n"
    "storepulse alerts ack --help and storepulse alerts silence --help.\n"
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
  if (!args.empty() && (args[0] == "ack" || args[0] == "silence")) {
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    return args[0] == "ack" ? RunAlertAck(rest, io) : RunAlertSilence(rest, io);
  }
  return RunCentralView({"alerts", kUsage, kDetails, "/api/v1/alerts", RenderAlerts, AnyRaised},
                        args, io);
}

}  // namespace storepulse::cli
