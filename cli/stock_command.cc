#include "cli/stock_command.h"

#include <SQLiteCpp/Database.h>

#include "cli/command_line.h"
#include "cli/http_client.h"
#include "cli/ingest_command.h"
#include "cli/number_format.h"
#include "cli/table.h"
#include "edge/edge_stock.h"
#include "edge/event_store.h"

namespace po = boost::program_options;

namespace storepulse::cli {
namespace {

using nlohmann::json;

constexpr std::string_view kUsage =
    "storepulse stock — on-hand stock of a SKU at a store, or in every store of the network.\n"
    "\n"
    "Usage: storepulse stock [SKU] [--edge URL | --data-dir DIR] [--json]\n"
    "       storepulse stock SKU --network [--central URL | --edge URL] [--json]";

constexpr std::string_view kDetails =
    "With a SKU: its on-hand at the store, whether it is ranged there (it had a stock event:\n"
    "receipt, count, transfer, adjustment or shrink) and its last movement. Without: the\n"
    "store's availability (ranged SKUs in stock / ranged SKUs) and its out-of-stock SKUs (the\n"
    "first 100). --network: the SKU in every store, from central, with each store's\n"
    "freshness (how long since central last received its events) — what click & collect and\n"
    "delivery promises across stores can rely on. On-hand is negative where more was sold\n"
    "than recorded as received; the network total counts such stores as 0. Times are UTC.\n"
    "--network --edge URL asks the store's edge, which asks central over its replication\n"
    "connection: the store's own stock, then the network's — or, when central does not\n"
    "answer, the store's stock and why the network is unavailable (exit status 3).\n"
    "\n"
    "Exit status: 0 OK, 1 the query failed, 2 usage error, 3 the edge, central (or the\n"
    "database) cannot be reached.\n"
    "\n"
    "Examples:\n"
    "  storepulse stock SKU-00042                          at this store's edge\n"
    "  storepulse stock                                    availability, out-of-stock SKUs\n"
    "  storepulse stock SKU-00042 --network                in every store, from central\n"
    "  storepulse stock SKU-00042 --network --edge http://127.0.0.1:8601   the same, via the edge\n"
    "  storepulse stock SKU-00042 --data-dir /var/lib/storepulse/edge --json\n";

struct StockFlags {
  std::string sku;
  bool network = false;
  std::string edge = std::string(kDefaultEdgeUrl);
  std::string data_dir;
  std::string central = std::string(kDefaultCentralUrl);
  bool json = false;
  HttpAccessFlags access = {};
};

po::options_description StockOptions(StockFlags* f) {
  po::options_description options;
  options.add_options()("network", po::bool_switch(&f->network),
                        "the SKU in every store, from central")(
      "edge", po::value(&f->edge)->default_value(f->edge), "the edge's HTTP URL")(
      "data-dir", po::value(&f->data_dir), "read this edge data directory instead, read-only")(
      "central", po::value(&f->central)->default_value(f->central),
      "central's HTTP URL (with --network)")("json", po::bool_switch(&f->json),
                                             "print the API's JSON answer");
  options.add(HttpAccessOptions(&f->access));
  return options;
}

common::Status CheckFlags(const StockFlags& flags, const po::variables_map& values) {
  const bool edge_given = !values["edge"].defaulted() || !flags.data_dir.empty();
  if (!flags.data_dir.empty() && !values["edge"].defaulted()) {
    return common::InvalidArgument("--edge and --data-dir exclude each other");
  }
  if (flags.network && !flags.data_dir.empty()) {
    return common::InvalidArgument("--network asks central (or the edge): it excludes --data-dir");
  }
  if (flags.network && edge_given && !values["central"].defaulted()) {
    return common::InvalidArgument("--network asks central or the edge: not both");
  }
  if (flags.network && flags.sku.empty()) {
    return common::InvalidArgument("--network needs a SKU (storepulse stock SKU --network)");
  }
  if (!flags.network && !values["central"].defaulted()) {
    return common::InvalidArgument("--central goes with --network");
  }
  return common::OkStatus();
}

// "2026-11-22T10:15:00.000Z" → "2026-11-22 10:15:00 UTC"; null → "never".
std::string TimeText(const json& value) {
  if (!value.is_string()) return "never";
  const std::string text = value.get<std::string>();
  if (text.size() < 19 || text[10] != 'T') return text;
  return text.substr(0, 10) + " " + text.substr(11, 8) + " UTC";
}

std::string SkuText(const json& a) {
  const bool ranged = a.at("ranged").get<bool>();
  std::string out =
      a.at("sku").get<std::string>() + " at store " + a.at("store").get<std::string>() + "\n";
  out += "  On hand        " + GroupThousands(a.at("on_hand").get<int64_t>()) + "\n";
  out += std::string("  Ranged         ") +
         (ranged ? "yes" : "no (no stock event for it at this store)") + "\n";
  out += "  Last movement  " + TimeText(a.at("last_movement")) + "\n";
  return out;
}

std::string SummaryText(const json& a) {
  const json& availability = a.at("availability");
  std::string out = "Stock at store " + a.at("store").get<std::string>() + ": " +
                    GroupThousands(a.at("in_stock").get<int64_t>()) + " of " +
                    GroupThousands(a.at("ranged").get<int64_t>()) + " ranged SKUs in stock";
  if (availability.is_number()) {
    out += " (availability " + FormatPercent(availability.get<double>()) + ")";
  }
  out += ", " + GroupThousands(a.at("on_hand_total").get<int64_t>()) + " units on hand\n";
  const int64_t out_of_stock = a.at("out_of_stock").get<int64_t>();
  const json& list = a.at("out_of_stock_skus");
  out += "Out of stock: " + GroupThousands(out_of_stock);
  if (out_of_stock > static_cast<int64_t>(list.size())) {
    out += " (the first " + std::to_string(list.size()) + " listed)";
  }
  out += "\n";
  for (const json& sku : list) out += "  " + sku.get<std::string>() + "\n";
  return out;
}

common::StatusOr<json> QueryEdge(const StockFlags& flags) {
  if (!flags.data_dir.empty()) {
    ASSIGN_OR_RETURN(auto db, edge::OpenReadOnly(flags.data_dir));
    return edge::QueryEdgeStock(*db, flags.sku);
  }
  ASSIGN_OR_RETURN(auto client, HttpClient::Create(Peer{"edge", flags.edge, "storepulse-edge", flags.access}));
  return client->GetJson("/api/v1/stock" + QueryString({{"sku", flags.sku}}));
}

// --network --edge: the edge's answer with the store's stock and the network's (or why not).
common::StatusOr<json> QueryEdgeNetwork(const StockFlags& flags) {
  ASSIGN_OR_RETURN(auto client,
                   HttpClient::Create(Peer{"edge", flags.edge, "storepulse-edge", flags.access}));
  return client->GetJson("/api/v1/stock" + QueryString({{"sku", flags.sku}, {"network", "1"}}));
}

common::StatusOr<json> QueryCentral(const StockFlags& flags) {
  ASSIGN_OR_RETURN(auto client,
                   HttpClient::Create(Peer{"central", flags.central, "storepulse-central", flags.access}));
  return client->GetJson("/api/v1/stock" + QueryString({{"sku", flags.sku}}));
}

int Show(const StockFlags& flags, const json& answer, CommandIo& io) {
  if (flags.json) {
    io.out << answer.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  const bool via_edge = flags.network && answer.contains("here");
  common::StatusOr<std::string> text = via_edge        ? RenderEdgeNetworkStock(answer)
                                       : flags.network ? RenderNetworkStock(answer)
                                                       : RenderEdgeStock(answer);
  if (!text.ok()) {
    io.err << "storepulse stock: " << text.status().message() << "\n";
    return kExitFailed;
  }
  io.out << *text;
  return via_edge && answer.value("network", json()).is_string() ? kExitUnreachable : kExitOk;
}

}  // namespace

std::string FormatAge(const json& seconds) {
  if (!seconds.is_number_integer()) return "never";
  const int64_t s = seconds.get<int64_t>();
  if (s < 120) return std::to_string(s) + " s";
  if (s < 2 * 3600) return std::to_string(s / 60) + " min";
  if (s < 2 * 86400) return std::to_string(s / 3600) + " h";
  return std::to_string(s / 86400) + " d";
}

common::StatusOr<std::string> RenderEdgeStock(const json& answer) {
  try {
    return answer.contains("sku") ? SkuText(answer) : SummaryText(answer);
  } catch (const json::exception& e) {
    return common::Internal(std::string("unexpected answer from the edge: ") + e.what());
  }
}

common::StatusOr<std::string> RenderNetworkStock(const json& answer) {
  try {
    const json& stores = answer.at("stores");
    std::string out = answer.at("sku").get<std::string>() + " across the network: " +
                      GroupThousands(answer.at("total_on_hand").get<int64_t>()) + " on hand in " +
                      std::to_string(answer.at("stores_in_stock").get<int64_t>()) + " of " +
                      std::to_string(stores.size()) + " stores\n";
    Table table;
    for (const char* header : {"Store", "Name", "Region"}) table.AddColumn(header, Align::kLeft);
    table.AddColumn("On hand", Align::kRight);
    for (const char* header : {"Ranged", "Last movement", "Freshness", "Online"}) {
      table.AddColumn(header, Align::kLeft);
    }
    for (const json& s : stores) {
      table.AddRow({s.at("store").get<std::string>(), s.at("name").get<std::string>(),
                    s.at("region").get<std::string>(),
                    GroupThousands(s.at("on_hand").get<int64_t>()),
                    s.at("ranged").get<bool>() ? "yes" : "no", TimeText(s.at("last_movement")),
                    FormatAge(s.at("freshness_s")), s.at("online").get<bool>() ? "yes" : "NO"});
    }
    return out + table.Render();
  } catch (const json::exception& e) {
    return common::Internal(std::string("unexpected answer from central: ") + e.what());
  }
}

common::StatusOr<std::string> RenderEdgeNetworkStock(const json& answer) {
  try {
    ASSIGN_OR_RETURN(std::string out, RenderEdgeStock(answer.at("here")));
    const json& network = answer.at("network");
    if (network.is_object()) {
      ASSIGN_OR_RETURN(std::string elsewhere, RenderNetworkStock(network));
      return out + "\n" + elsewhere;
    }
    return out + "\nThe network: unavailable — " + answer.at("reason").get<std::string>() + "\n";
  } catch (const json::exception& e) {
    return common::Internal(std::string("unexpected answer from the edge: ") + e.what());
  }
}

int RunStock(const std::vector<std::string>& args, CommandIo& io) {
  StockFlags flags;
  const po::options_description options = StockOptions(&flags);
  const CommandLine line{"stock", kUsage, options, kDetails, "sku", &flags.sku};
  bool edge_given = false;  // --edge: with --network, the edge asks central
  auto check = [&](const po::variables_map& values) {
    edge_given = !values["edge"].defaulted();
    return CheckFlags(flags, values);
  };
  if (auto done = ReadCommandLine(line, args, io, check)) return *done;
  common::StatusOr<json> answer = flags.network && edge_given ? QueryEdgeNetwork(flags)
                                  : flags.network             ? QueryCentral(flags)
                                                              : QueryEdge(flags);
  if (!answer.ok()) {
    io.err << "storepulse stock: " << answer.status().message() << "\n";
    return ExitCodeFor(answer.status());
  }
  return Show(flags, *answer, io);
}

}  // namespace storepulse::cli
