#include "cli/days_command.h"

#include <cstdio>

#include "cli/command_line.h"
#include "cli/days_table.h"
#include "cli/http_client.h"

namespace po = boost::program_options;

namespace storepulse::cli {
namespace {

constexpr std::string_view kUsage =
    "storepulse days — which closed days central certified, per store.\n"
    "\n"
    "Usage: storepulse days [--store S] [--from YYYY-MM-DD --to YYYY-MM-DD] [--central URL] "
    "[--json]";

constexpr std::string_view kDetails =
    "A day of a store is certified when its edge's certificate (event count, KPI totals, the\n"
    "digest of its event ids) equals what central holds for that store and local day. Status:\n"
    "  certified      equal (reopened N×: late events changed it since, and it was certified\n"
    "                 again)\n"
    "  pending        different; central asked the edge to send that day again\n"
    "  reopened       a certified day a late event changed; being checked again\n"
    "  DIFFERS        still different after the edge sent it again: alert day_differs,\n"
    "                 see OPERATIONS.md, \"Day sign-off\"\n"
    "  not_certified  no certificate (an older edge, a day before its first event, or not\n"
    "                 closed yet)\n"
    "Days default to the last 7 before each store's today, in its time zone.\n"
    "\n"
    "Exit status: 0; 1 a day differs; 2 usage error; 3 central cannot be reached.\n"
    "\n"
    "Examples:\n"
    "  storepulse days\n"
    "  storepulse days --store S042 --from 2026-11-01 --to 2026-11-30 --json\n";

std::string Encoded(const std::string& value) {
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

}  // namespace

int RunDays(const std::vector<std::string>& args, CommandIo& io) {
  std::string central(kDefaultCentralUrl);
  std::string store, from, to;
  bool as_json = false;
  HttpAccessFlags access = {};
  po::options_description options;
  options.add_options()("central", po::value(&central)->default_value(central),
                        "central's HTTP URL")("store", po::value(&store), "this store only")(
      "from", po::value(&from), "first day, YYYY-MM-DD (the store's local date)")(
      "to", po::value(&to), "last day, YYYY-MM-DD")("json", po::bool_switch(&as_json),
                                                    "print the API's JSON answer");
  options.add(HttpAccessOptions(&access));
  std::unique_ptr<HttpClient> client;
  auto check = [&](const po::variables_map&) {
    ASSIGN_OR_RETURN(client,
                     HttpClient::Create(Peer{"central", central, "storepulse-central", access}));
    return common::OkStatus();
  };
  const CommandLine line{"days", kUsage, options, kDetails};
  if (auto done = ReadCommandLine(line, args, io, check)) return *done;
  std::string path = "/api/v1/days";
  std::string query;
  if (!store.empty()) query += "&store=" + Encoded(store);
  if (!from.empty()) query += "&from=" + Encoded(from);
  if (!to.empty()) query += "&to=" + Encoded(to);
  if (!query.empty()) path += "?" + query.substr(1);
  common::StatusOr<nlohmann::json> answer = client->GetJson(path);
  if (!answer.ok()) {
    io.err << "storepulse days: " << answer.status().message() << "\n";
    return ExitCodeFor(answer.status());
  }
  if (as_json) {
    io.out << answer->dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    common::StatusOr<std::string> text = RenderDays(*answer);
    if (!text.ok()) {
      io.err << "storepulse days: " << text.status().message() << "\n";
      return kExitFailed;
    }
    io.out << *text;
  }
  return DaysNeedAttention(*answer) ? kExitFailed : kExitOk;
}

}  // namespace storepulse::cli
