#include "cli/drivers_command.h"

#include "cli/command_line.h"
#include "cli/drivers_table.h"
#include "cli/http_client.h"
#include "cli/ingest_command.h"

namespace po = boost::program_options;

namespace storepulse::cli {
namespace {

using nlohmann::json;

constexpr std::string_view kUsage =
    "storepulse drivers — why net sales are behind or ahead, split into footfall, conversion,\n"
    "basket and returns, in money.\n"
    "\n"
    "Usage: storepulse drivers [--period day|week|month]\n"
    "                          [--against previous_year|previous_week|target]\n"
    "                          [--edge URL | --central URL [--scope SCOPE]] [--json]";

constexpr std::string_view kDetails =
    "The current local day, ISO week or month so far (its start to now) against the same span\n"
    "last year (364 days earlier: the same weekdays), last week, or the scope's net_sales target\n"
    "of the period, as much of it as is expected by now (the store's pace from its own same\n"
    "weekdays; pro rata to the time elapsed for a region, the network, or without history; the\n"
    "base is then last year's same span scaled to it, so the drivers say how footfall,\n"
    "conversion and basket differ from last year's mix). Net sales = footfall × conversion × "
    "basket − returns; each driver's part is\n"
    "its log-mean Divisia share of the gap, rounded so the parts add up to the gap exactly.\n"
    "Without footfall the split is transactions × basket. Availability is shown beside the\n"
    "drivers. The edge answers for its store; central for --scope (network, region:R or\n"
    "store:S; network by default).\n"
    "\n"
    "Exit status: 0 answered, 1 the request failed, 2 usage error, 3 the edge or central cannot\n"
    "be reached.\n"
    "\n"
    "Examples:\n"
    "  storepulse drivers                                   today against last year, at this "
    "store\n"
    "  storepulse drivers --against target --period week\n"
    "  storepulse drivers --central http://central:8600 --scope region:north --json\n";

}  // namespace

int RunDrivers(const std::vector<std::string>& args, CommandIo& io) {
  std::string edge(kDefaultEdgeUrl), central, scope, period, against;
  bool as_json = false;
  HttpAccessFlags access = {};
  po::options_description options;
  options.add_options()("period", po::value(&period), "day (default), week or month")(
      "against", po::value(&against), "previous_year (default), previous_week or target")(
      "edge", po::value(&edge)->default_value(edge), "the edge's HTTP URL")(
      "central", po::value(&central), "ask central instead (e.g. http://127.0.0.1:8600)")(
      "scope", po::value(&scope), "with --central: network, region:R or store:S")(
      "json", po::bool_switch(&as_json), "print the API's JSON answer");
  options.add(HttpAccessOptions(&access));
  std::unique_ptr<HttpClient> client;
  auto check = [&](const po::variables_map& values) {
    if (!central.empty() && !values["edge"].defaulted()) {
      return common::InvalidArgument("--central and --edge exclude each other");
    }
    if (central.empty() && !scope.empty()) {
      return common::InvalidArgument("--scope needs --central (an edge answers for its store)");
    }
    Peer peer = central.empty() ? Peer{"edge", edge, "storepulse-edge", access}
                                : Peer{"central", central, "storepulse-central", access};
    ASSIGN_OR_RETURN(client, HttpClient::Create(peer));
    return common::OkStatus();
  };
  const CommandLine line{"drivers", kUsage, options, kDetails};
  if (auto done = ReadCommandLine(line, args, io, check)) return *done;
  common::StatusOr<json> answer =
      client->GetJson("/api/v1/drivers" +
                      QueryString({{"scope", scope}, {"period", period}, {"against", against}}));
  if (!answer.ok()) {
    io.err << "storepulse drivers: " << answer.status().message() << "\n";
    return ExitCodeFor(answer.status());
  }
  if (as_json) {
    io.out << answer->dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  common::StatusOr<std::string> text = RenderDrivers(*answer);
  if (!text.ok()) {
    io.err << "storepulse drivers: " << text.status().message() << "\n";
    return kExitFailed;
  }
  io.out << *text;
  return kExitOk;
}

}  // namespace storepulse::cli
