#include "cli/context_command.h"

#include "cli/edge_view.h"
#include "cli/kpi_format.h"
#include "cli/number_format.h"
#include "cli/stock_command.h"
#include "cli/table.h"
#include "common/reference/network_context.h"
#include "common/time_util.h"
#include "edge/reference_answers.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

constexpr std::string_view kUsage =
    "storepulse context — the store beside its region and the network, from central.\n"
    "\n"
    "Usage: storepulse context [--edge URL | --data-dir DIR] [--json]";

constexpr std::string_view kDetails =
    "Central computes each store's context every few minutes (--context-interval-s) and sends\n"
    "it to the store's edge, which keeps the last one: this works with central away, and says\n"
    "how old the figures are. Today is each store's own local date and runs up to the time the\n"
    "context was computed; \"vs last week\" compares with the same weekday a week earlier (today:\n"
    "up to the same time). The rank is the store's place in its region (1 = best; equal\n"
    "figures share a rank; a store with no sale, return or visitor that day is not ranked).\n"
    "\n"
    "Exit status: 0 OK, 1 the query failed (or no context received yet), 2 usage error,\n"
    "3 the edge (or the database) cannot be reached.\n"
    "\n"
    "Examples:\n"
    "  storepulse context\n"
    "  storepulse context --data-dir /var/lib/storepulse/edge --json\n";

constexpr const char* kFigureLabels[] = {
    "Net sales", "vs last week", "Conversion", "Average basket", "UPT", "NPS", "Availability"};

std::string FigureText(std::string_view figure, const json& value) {
  if (figure == "net_sales_change") {
    if (!value.is_number()) return "–";
    const double change = value.get<double>();
    return (change > 0 ? "+" : "") + FormatPercent(change);
  }
  return FormatKpi(figure, value);
}

std::string RankText(const json& rank) {
  if (!rank.at("rank").is_number_integer()) {
    return rank.at("of").get<int>() > 0 ? "–" : "";
  }
  return std::to_string(rank.at("rank").get<int>()) + " of " +
         std::to_string(rank.at("of").get<int>());
}

std::string DayText(const char* title, const json& day) {
  Table table;
  table.AddColumn(std::string(title) + " " + day.at("date").get<std::string>(), Align::kLeft);
  for (const char* header : {"Store", "Region", "Network", "Rank in region"}) {
    table.AddColumn(header, Align::kRight);
  }
  for (size_t i = 0; i < common::kContextFigureCount; ++i) {
    const std::string name(common::kContextFigures[i]);
    table.AddRow({kFigureLabels[i], FigureText(name, day.at("store").at(name)),
                  FigureText(name, day.at("region").at(name)),
                  FigureText(name, day.at("network").at(name)), RankText(day.at("rank").at(name))});
  }
  return table.Render();
}

}  // namespace

common::StatusOr<std::string> RenderContext(const json& answer) {
  try {
    std::string out = "Store " + answer.at("store").get<std::string>();
    if (!answer.at("name").get<std::string>().empty()) {
      out += " · " + answer.at("name").get<std::string>();
    }
    out += " — region " + answer.at("region").get<std::string>() + " (" +
           std::to_string(answer.at("region_stores").get<int>()) + " stores), network of " +
           std::to_string(answer.at("network_stores").get<int>()) + " stores\n";
    out += "Network figures from " + FormatAge(answer.at("age_s")) + " ago (computed " +
           answer.at("as_of").get<std::string>() + ", version " +
           answer.at("version").get<std::string>() + ")\n\n";
    out +=
        DayText("Today", answer.at("today")) + "\n" + DayText("Yesterday", answer.at("yesterday"));
    return out;
  } catch (const json::exception& e) {
    return common::Internal(std::string("unexpected answer from the edge: ") + e.what());
  }
}

int RunContext(const std::vector<std::string>& args, CommandIo& io) {
  const int64_t now_ms = common::SystemClock().NowMs();
  return RunEdgeView({"context", kUsage, kDetails, nullptr,
                      [](const std::string&) { return std::string("/api/v1/context"); },
                      [now_ms](SQLite::Database& db, const std::string&) {
                        return edge::ContextAnswer(db, now_ms);
                      },
                      [](const std::string&, const json& answer) { return RenderContext(answer); }},
                     args, io);
}

}  // namespace storepulse::cli
