#include "cli/targets_command.h"

#include "cli/command_line.h"
#include "cli/http_client.h"
#include "cli/targets_table.h"

namespace po = boost::program_options;

namespace storepulse::cli {
namespace {

using nlohmann::json;

constexpr std::string_view kUsage =
    "storepulse targets — KPI targets against the actuals of their current period, from central.\n"
    "\n"
    "Usage: storepulse targets [--central URL] [--json]";

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
    "Exit status: 0 answered (whatever the statuses), 1 the request failed, 2 usage error,\n"
    "3 central cannot be reached.\n"
    "\n"
    "Examples:\n"
    "  storepulse targets\n"
    "  storepulse targets --central http://central.example:8600 --json\n";

struct TargetsFlags {
  std::string central = std::string(kDefaultCentralUrl);
  bool json = false;
};

po::options_description TargetsOptions(TargetsFlags* f) {
  po::options_description options;
  options.add_options()("central", po::value(&f->central)->default_value(f->central),
                        "central's HTTP URL")(
      "json", po::bool_switch(&f->json), "print the API's JSON answer");
  return options;
}

int Show(const TargetsFlags& flags, const json& answer, CommandIo& io) {
  if (flags.json) {
    io.out << answer.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  common::StatusOr<std::string> text = RenderTargets(answer);
  if (!text.ok()) {
    io.err << "storepulse targets: " << text.status().message() << "\n";
    return kExitFailed;
  }
  io.out << *text;
  return kExitOk;
}

}  // namespace

int RunTargets(const std::vector<std::string>& args, CommandIo& io) {
  TargetsFlags flags;
  const po::options_description options = TargetsOptions(&flags);
  po::variables_map values;
  bool help = false;
  common::Status parsed = ParseArguments(args, options, {}, &values, &help);
  if (help) {
    PrintCommandHelp(io.out, kUsage, options, kDetails);
    return kExitOk;
  }
  auto client = HttpClient::Create(Peer{"central", flags.central, "storepulse-central"});
  if (parsed.ok()) parsed = client.status();
  if (!parsed.ok()) return ReportUsageError(io.err, "targets", parsed);
  common::StatusOr<json> answer = (*client)->GetJson("/api/v1/targets");
  if (!answer.ok()) {
    io.err << "storepulse targets: " << answer.status().message() << "\n";
    return ExitCodeFor(answer.status());
  }
  return Show(flags, *answer, io);
}

}  // namespace storepulse::cli
