#include "cli/network_command.h"

#include "cli/command_line.h"
#include "cli/compare_table.h"
#include "cli/http_client.h"
#include "cli/kpi_table.h"
#include "common/kpi/kpi_compare.h"
#include "common/kpi/kpi_query.h"

namespace po = boost::program_options;

namespace storepulse::cli {
namespace {

using nlohmann::json;

constexpr std::string_view kUsage =
    "storepulse network — KPIs of the whole network, a region or a store, from central.\n"
    "\n"
    "Usage: storepulse network [--scope network|region:R|store:S] [--from X] [--to Y]\n"
    "                          [--by total|day|hour|channel|store|region|employee|sku]\n"
    "                          [--central URL]\n"
    "                          [--compare previous_week|previous_year] [--columns a,b,c]\n"
    "                          [--json]";

constexpr std::string_view kDetails =
    "The period is [from, to): each bound is a local date (2026-11-22: each store's own local\n"
    "midnight) or an RFC 3339 instant. Without --from: today, each store's own local today.\n"
    "--by store and --by region give one row per store or region. Every ratio is computed from\n"
    "the summed components of the stores in scope, never as a mean of the stores' ratios.\n"
    "Money prints in currency units, rates as percentages, \"–\" where a rate has nothing to\n"
    "divide by; --columns takes the KPI names of --json. A store's figures are those of its\n"
    "edge once it is caught up (see storepulse fleet).\n"
    "--compare adds the same period a week (previous_week) or 52 weeks (previous_year, same\n"
    "weekdays) earlier and the change: relative for amounts, in points for rates and scores.\n"
    "\n"
    "Exit status: 0 OK, 1 the query failed (e.g. an unknown region or store), 2 usage error\n"
    "(bad flags, a malformed date), 3 central cannot be reached.\n"
    "\n"
    "Examples:\n"
    "  storepulse network                               today, whole network\n"
    "  storepulse network --by store                    today, one row per store\n"
    "  storepulse network --scope region:FR-North --from 2026-11-01 --to 2026-11-08 --by day\n"
    "  storepulse network --scope store:S042 --by hour --json\n"
    "  storepulse network --by store --compare previous_year\n";

struct NetworkFlags {
  std::string central = std::string(kDefaultCentralUrl);
  std::string scope = "network";
  std::string from;
  std::string to;
  std::string by = "total";
  std::string columns;
  std::string compare;
  bool json = false;
  HttpAccessFlags access = {};
};

po::options_description NetworkOptions(NetworkFlags* f) {
  po::options_description options;
  options.add_options()("scope", po::value(&f->scope)->default_value(f->scope),
                        "network, region:R or store:S")(
      "from", po::value(&f->from), "start: local date YYYY-MM-DD or RFC 3339 instant")(
      "to", po::value(&f->to), "end, excluded (default: end of the day of --from, or today)")(
      "by", po::value(&f->by)->default_value(f->by), "total, day, hour, channel, store, region, employee or sku")(
      "central", po::value(&f->central)->default_value(f->central), "central's HTTP URL")(
      "columns", po::value(&f->columns), "KPIs to show, comma-separated (e.g. net_sales,aov)")(
      "compare", po::value(&f->compare), "previous_week or previous_year: add that period")(
      "json", po::bool_switch(&f->json), "print the API's JSON answer");
  options.add(HttpAccessOptions(&f->access));
  return options;
}

common::Status CheckFlags(const NetworkFlags& flags) {
  const size_t colon = flags.scope.find(':');
  const std::string kind = flags.scope.substr(0, colon);
  const bool named = colon != std::string::npos && colon + 1 < flags.scope.size();
  if (!(flags.scope == "network" || ((kind == "region" || kind == "store") && named))) {
    return common::InvalidArgument("--scope: \"" + flags.scope +
                                   "\" is not network, region:R or store:S");
  }
  RETURN_IF_ERROR(common::ParseCompareWith(flags.compare).status());
  return common::ParseGroupBy(flags.by).status();
}

// What the heading says about time zones: a store's own zone, or that each store keeps its own.
std::string ZoneNote(HttpClient& client, const std::string& scope) {
  if (scope.rfind("store:", 0) != 0) return "each store's local time";
  auto fleet = client.GetJson("/api/v1/fleet");
  if (!fleet.ok() || !fleet->contains("stores") || !(*fleet)["stores"].is_array()) return "";
  for (const json& store : (*fleet)["stores"]) {
    if (store.value("store", "") == scope.substr(6)) return store.value("timezone", "");
  }
  return "";
}

int Show(const NetworkFlags& flags, const json& answer, const std::string& zone, CommandIo& io) {
  if (flags.json) {
    io.out << answer.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  const KpiView view{SplitColumns(flags.columns), zone};
  common::StatusOr<std::string> table =
      HasComparison(answer) ? RenderComparison(answer, view) : RenderKpiAnswer(answer, view);
  if (!table.ok()) {
    if (table.status().code() == common::StatusCode::kInvalidArgument) {
      return ReportUsageError(io.err, "network", table.status());
    }
    io.err << "storepulse network: " << table.status().message() << "\n";
    return kExitFailed;
  }
  io.out << *table;
  return kExitOk;
}

int Query(const NetworkFlags& flags, CommandIo& io) {
  auto client = HttpClient::Create(Peer{"central", flags.central, "storepulse-central", flags.access});
  if (!client.ok()) return ReportUsageError(io.err, "network", client.status());
  const std::string target =
      "/api/v1/kpi" +
      QueryString({{"scope", flags.scope},
                   {"from", flags.from},
                   {"to", flags.to},
                   {"by", flags.by},
                   {"compare", flags.compare}});
  common::StatusOr<json> answer = (*client)->GetJson(target);
  if (!answer.ok()) {
    io.err << "storepulse network: " << answer.status().message() << "\n";
    return ExitCodeFor(answer.status());  // a 400 (e.g. a malformed date) is a usage error
  }
  const std::string zone = flags.json ? "" : ZoneNote(**client, flags.scope);
  return Show(flags, *answer, zone, io);
}

}  // namespace

int RunNetwork(const std::vector<std::string>& args, CommandIo& io) {
  NetworkFlags flags;
  const po::options_description options = NetworkOptions(&flags);
  const CommandLine line{"network", kUsage, options, kDetails};
  auto check = [&](const po::variables_map&) { return CheckFlags(flags); };
  if (auto done = ReadCommandLine(line, args, io, check)) return *done;
  return Query(flags, io);
}

}  // namespace storepulse::cli
