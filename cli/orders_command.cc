#include "cli/orders_command.h"

#include <SQLiteCpp/Database.h>

#include "cli/command_line.h"
#include "cli/http_client.h"
#include "cli/ingest_command.h"
#include "cli/number_format.h"
#include "cli/table.h"
#include "common/store/overdue_orders.h"
#include "common/time_util.h"
#include "edge/edge_stock.h"
#include "edge/event_store.h"

namespace po = boost::program_options;

namespace storepulse::cli {
namespace {

using nlohmann::json;

constexpr std::string_view kUsage =
    "storepulse orders — the orders still open past their promise.\n"
    "\n"
    "Usage: storepulse orders [--status overdue] [--limit N] [--edge URL | --data-dir DIR] "
    "[--json]\n"
    "       storepulse orders [--status overdue] [--limit N] (--central URL | --scope SCOPE) "
    "[--json]";

constexpr std::string_view kDetails =
    "An order is overdue when no event received so far says it is fulfilled (ready for click &\n"
    "collect and reserve, delivered for ship-from-store), collected or cancelled, and its\n"
    "promise (from the first of its events that carries one) has passed. Earliest promise\n"
    "first; the count is of every overdue order, the list of the first --limit (default 100,\n"
    "at most 1000). From the store's edge, or from central for a scope (network,\n"
    "region:R, store:S). Times are UTC.\n"
    "\n"
    "Exit status: 0 OK, 1 the query failed, 2 usage error, 3 the edge, central (or the\n"
    "database) cannot be reached.\n"
    "\n"
    "Examples:\n"
    "  storepulse orders --status overdue                 at this store's edge\n"
    "  storepulse orders --scope region:north --json      from central\n";

struct OrdersFlags {
  std::string status = "overdue";
  int64_t limit = common::kDefaultOrdersLimit;
  std::string edge = std::string(kDefaultEdgeUrl);
  std::string data_dir;
  std::string central = std::string(kDefaultCentralUrl);
  std::string scope;
  bool json = false;
  bool at_central = false;
  HttpAccessFlags access = {};
};

po::options_description OrdersOptions(OrdersFlags* f) {
  po::options_description options;
  options.add_options()("status", po::value(&f->status)->default_value(f->status),
                        "which orders: overdue (the only one so far)")(
      "limit", po::value(&f->limit)->default_value(f->limit), "list at most this many (1-1000)")(
      "edge", po::value(&f->edge)->default_value(f->edge), "the edge's HTTP URL")(
      "data-dir", po::value(&f->data_dir), "read this edge data directory instead, read-only")(
      "central", po::value(&f->central)->default_value(f->central), "ask central at this URL")(
      "scope", po::value(&f->scope), "central's scope: network, region:R or store:S")(
      "json", po::bool_switch(&f->json), "print the API's JSON answer");
  options.add(HttpAccessOptions(&f->access));
  return options;
}

common::Status CheckFlags(OrdersFlags& flags, const po::variables_map& values) {
  const bool edge_given = !values["edge"].defaulted() || !flags.data_dir.empty();
  flags.at_central = !values["central"].defaulted() || !flags.scope.empty();
  if (!flags.data_dir.empty() && !values["edge"].defaulted()) {
    return common::InvalidArgument("--edge and --data-dir exclude each other");
  }
  if (flags.at_central && edge_given) {
    return common::InvalidArgument(
        "--central and --scope ask central: they exclude --edge and "
        "--data-dir");
  }
  return common::ReadOrdersQuery(flags.status, std::to_string(flags.limit)).status();
}

std::string Query(const OrdersFlags& flags) {
  std::vector<std::pair<std::string, std::string>> query = {{"status", flags.status},
                                                            {"limit", std::to_string(flags.limit)}};
  if (!flags.scope.empty()) query.emplace_back("scope", flags.scope);
  return "/api/v1/orders" + QueryString(query);
}

common::StatusOr<json> Ask(const OrdersFlags& flags) {
  if (!flags.data_dir.empty()) {
    ASSIGN_OR_RETURN(auto db, edge::OpenReadOnly(flags.data_dir));
    const int64_t now = common::SystemClock().NowMs();
    ASSIGN_OR_RETURN(const common::OverdueOrders overdue,
                     edge::QueryEdgeOverdueOrders(*db, now, flags.limit));
    return common::OverdueOrdersJson(overdue, now, flags.limit);
  }
  const Peer peer = flags.at_central
                        ? Peer{"central", flags.central, "storepulse-central", flags.access}
                        : Peer{"edge", flags.edge, "storepulse-edge", flags.access};
  ASSIGN_OR_RETURN(auto client, HttpClient::Create(peer));
  return client->GetJson(Query(flags));
}

// "2026-11-22T10:15:00.000Z" → "2026-11-22 10:15"; null → "—".
std::string TimeText(const json& value) {
  if (!value.is_string()) return "—";
  const std::string text = value.get<std::string>();
  if (text.size() < 16 || text[10] != 'T') return text;
  return text.substr(0, 10) + " " + text.substr(11, 5);
}

}  // namespace

common::StatusOr<std::string> RenderOverdueOrders(const json& answer) {
  try {
    const json& orders = answer.at("orders");
    const int64_t count = answer.at("count").get<int64_t>();
    std::string out =
        "Overdue orders at " + TimeText(answer.at("at")) + " UTC: " + GroupThousands(count);
    if (count > static_cast<int64_t>(orders.size())) {
      out += " (the first " + std::to_string(orders.size()) + " listed)";
    }
    out += "\n";
    if (orders.empty()) return out;
    Table table;
    for (const char* header : {"Store", "Order", "Kind", "Source", "Created", "Promised"}) {
      table.AddColumn(header, Align::kLeft);
    }
    table.AddColumn("Overdue (min)", Align::kRight);
    for (const json& o : orders) {
      table.AddRow({o.at("store").get<std::string>(), o.at("order").get<std::string>(),
                    o.at("kind").get<std::string>(), o.at("source").get<std::string>(),
                    TimeText(o.at("created")), TimeText(o.at("promised")),
                    FormatDecimal(o.at("overdue_minutes").get<double>(), 1)});
    }
    return out + table.Render();
  } catch (const json::exception& e) {
    return common::Internal(std::string("unexpected answer: ") + e.what());
  }
}

int RunOrders(const std::vector<std::string>& args, CommandIo& io) {
  OrdersFlags flags;
  const po::options_description options = OrdersOptions(&flags);
  const CommandLine line{"orders", kUsage, options, kDetails};
  auto check = [&](const po::variables_map& values) { return CheckFlags(flags, values); };
  if (auto done = ReadCommandLine(line, args, io, check)) return *done;
  common::StatusOr<json> answer = Ask(flags);
  if (!answer.ok()) {
    io.err << "storepulse orders: " << answer.status().message() << "\n";
    return ExitCodeFor(answer.status());
  }
  if (flags.json) {
    io.out << answer->dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  common::StatusOr<std::string> text = RenderOverdueOrders(*answer);
  if (!text.ok()) {
    io.err << "storepulse orders: " << text.status().message() << "\n";
    return kExitFailed;
  }
  io.out << *text;
  return kExitOk;
}

}  // namespace storepulse::cli
