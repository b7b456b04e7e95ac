#include "cli/targets_command.h"

#include "cli/command_line.h"
#include "cli/http_client.h"
#include "cli/ingest_command.h"
#include "cli/targets_table.h"

namespace po = boost::program_options;

namespace storepulse::cli {
namespace {

using nlohmann::json;

constexpr std::string_view kUsage =
    "storepulse targets — KPI targets against the actuals of their current period, from central\n"
    "or from a store's edge.\n"
    "\n"
    "Usage: storepulse targets [--central URL | --edge URL] [--json]";

constexpr std::string_view kDetails =
    "Targets come from central's --targets-file (scope,kpi,period,target). Each is judged over\n"
    "its current period — each store's local today, ISO week (Monday to Sunday) or calendar\n"
    "month. Gap = actual − target; gap % = gap / target. A sum (net sales, transactions,\n"
    "footfall…) is expected pro rata to the time elapsed: 40% into the week, 40% of the week's\n"
    "target. A rate or average is judged against the target itself. Within ±5% of what is\n"
    "expected is \"on track\"; better is \"ahead\", worse \"BEHIND\" (better is lower for\n"
    "returns, shrink, cancellations, warehouse share, lateness). A sum already at its target is\n"
    "\"achieved\"; a lower-is-better sum already over it is \"MISSED\".\n"
    "\n"
    "--edge asks a store's edge: the targets central last sent it (the store's own, its\n"
    "region's, the network's; with their version and age, whether central is up or not), the\n"
    "store's own judged from its own figures, plus the pace of its net sales: the share of a\n"
    "normal day done by now from the store's same weekdays of the last 8 weeks (flat over the\n"
    "opening hours without history), what is expected by now and the projected close.\n"
    "\n"
    "Exit status: 0 answered (whatever the statuses), 1 the request failed, 2 usage error,\n"
    "3 central (or the edge) cannot be reached.\n"
    "\n"
    "Examples:\n"
    "  storepulse targets\n"
    "  storepulse targets --central http://central.example:8600 --json\n"
    "  storepulse targets --edge http://127.0.0.1:8601\n";

}  // namespace

int RunTargets(const std::vector<std::string>& args, CommandIo& io) {
  std::string central(kDefaultCentralUrl);
  std::string edge;
  bool as_json = false;
  HttpAccessFlags access = {};
  po::options_description options;
  options.add_options()("central", po::value(&central)->default_value(central),
                        "central's HTTP URL")("edge", po::value(&edge),
                                              "ask this edge instead (e.g. http://127.0.0.1:8601)")(
      "json", po::bool_switch(&as_json), "print the API's JSON answer");
  options.add(HttpAccessOptions(&access));
  std::unique_ptr<HttpClient> client;
  auto check = [&](const po::variables_map& values) {  // a malformed URL is a usage error
    if (!edge.empty() && !values["central"].defaulted()) {
      return common::InvalidArgument("--central and --edge exclude each other");
    }
    Peer peer = edge.empty() ? Peer{"central", central, "storepulse-central", access}
                             : Peer{"edge", edge, "storepulse-edge", access};
    ASSIGN_OR_RETURN(client, HttpClient::Create(peer));
    return common::OkStatus();
  };
  const CommandLine line{"targets", kUsage, options, kDetails};
  if (auto done = ReadCommandLine(line, args, io, check)) return *done;
  common::StatusOr<json> answer = client->GetJson("/api/v1/targets");
  if (!answer.ok()) {
    io.err << "storepulse targets: " << answer.status().message() << "\n";
    return ExitCodeFor(answer.status());
  }
  if (as_json) {
    io.out << answer->dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  common::StatusOr<std::string> text = RenderTargets(*answer);
  if (!text.ok()) {
    io.err << "storepulse targets: " << text.status().message() << "\n";
    return kExitFailed;
  }
  io.out << *text;
  return kExitOk;
}

}  // namespace storepulse::cli
