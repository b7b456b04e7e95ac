#include "cli/alerts_command.h"

#include "cli/alerts_table.h"
#include "cli/command_line.h"
#include "cli/http_client.h"

namespace po = boost::program_options;

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

struct AlertsFlags {
  std::string central = std::string(kDefaultCentralUrl);
  bool json = false;
};

po::options_description AlertsOptions(AlertsFlags* f) {
  po::options_description options;
  options.add_options()("central", po::value(&f->central)->default_value(f->central),
                        "central's HTTP URL")(
      "json", po::bool_switch(&f->json), "print the API's JSON answer");
  return options;
}

bool AnyRaised(const json& answer) {
  return answer.contains("alerts") && answer["alerts"].is_array() && !answer["alerts"].empty();
}

int Show(const AlertsFlags& flags, const json& answer, CommandIo& io) {
  if (flags.json) {
    io.out << answer.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  } else {
    common::StatusOr<std::string> text = RenderAlerts(answer);
    if (!text.ok()) {
      io.err << "storepulse alerts: " << text.status().message() << "\n";
      return kExitFailed;
    }
    io.out << *text;
  }
  return AnyRaised(answer) ? kExitFailed : kExitOk;
}

}  // namespace

int RunAlerts(const std::vector<std::string>& args, CommandIo& io) {
  AlertsFlags flags;
  const po::options_description options = AlertsOptions(&flags);
  po::variables_map values;
  bool help = false;
  common::Status parsed = ParseArguments(args, options, {}, &values, &help);
  if (help) {
    PrintCommandHelp(io.out, kUsage, options, kDetails);
    return kExitOk;
  }
  auto client = HttpClient::Create(Peer{"central", flags.central, "storepulse-central"});
  if (parsed.ok()) parsed = client.status();
  if (!parsed.ok()) return ReportUsageError(io.err, "alerts", parsed);
  common::StatusOr<json> answer = (*client)->GetJson("/api/v1/alerts");
  if (!answer.ok()) {
    io.err << "storepulse alerts: " << answer.status().message() << "\n";
    return ExitCodeFor(answer.status());
  }
  return Show(flags, *answer, io);
}

}  // namespace storepulse::cli
