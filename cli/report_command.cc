#include "cli/report_command.h"

#include "cli/edge_view.h"
#include "cli/http_client.h"
#include "cli/kpi_table.h"
#include "cli/stock_command.h"
#include "cli/table.h"
#include "common/time_util.h"
#include "edge/reference_answers.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

constexpr std::string_view kUsage =
    "storepulse report — the reports head office defines, run over this store's figures.\n"
    "\n"
    "Usage: storepulse report [NAME] [--edge URL | --data-dir DIR] [--json]";

constexpr std::string_view kDetails =
    "Without NAME: every report central sent this store (name, title, audience, KPIs,\n"
    "grouping, period). With NAME: that report over the store's own figures, its period in the\n"
    "store's local calendar (weeks run Monday to Sunday; this week and this month run to the\n"
    "end of today). At a store a report always covers the store itself, whatever its scope.\n"
    "The definitions come from central's --reports-file and are kept at the edge, so reports\n"
    "run with central away.\n"
    "\n"
    "Exit status: 0 OK, 1 the query failed (or no such report), 2 usage error, 3 the edge (or\n"
    "the database) cannot be reached.\n"
    "\n"
    "Examples:\n"
    "  storepulse report\n"
    "  storepulse report daily\n"
    "  storepulse report week --json\n";

std::string Joined(const json& list, const char* separator) {
  std::string out;
  for (const json& item : list) out += (out.empty() ? "" : separator) + item.get<std::string>();
  return out;
}

std::string Held(const json& answer) {
  if (!answer.at("version").is_string()) return "";
  return "Definitions from central, version " + answer.at("version").get<std::string>() +
         ", received " + FormatAge(answer.at("age_s")) + " ago\n";
}

}  // namespace

common::StatusOr<std::string> RenderReportList(const json& answer) {
  try {
    const json& reports = answer.at("reports");
    if (reports.empty()) {
      return std::string(answer.at("version").is_string()
                             ? "Central defines no report.\n"
                             : "No reports received from central yet.\n");
    }
    Table table;
    for (const char* header : {"Name", "Title", "For", "KPIs", "By", "Period"}) {
      table.AddColumn(header, Align::kLeft);
    }
    for (const json& report : reports) {
      table.AddRow({report.at("name").get<std::string>(), report.at("title").get<std::string>(),
                    Joined(report.at("audience"), ", "), Joined(report.at("kpis"), ", "),
                    report.at("by").get<std::string>(), report.at("period").get<std::string>()});
    }
    return Held(answer) + "\n" + table.Render();
  } catch (const json::exception& e) {
    return common::Internal(std::string("unexpected answer from the edge: ") + e.what());
  }
}

common::StatusOr<std::string> RenderReportRun(const json& answer) {
  try {
    const json& report = answer.at("report");
    KpiView view;
    for (const json& kpi : report.at("kpis")) view.columns.push_back(kpi.get<std::string>());
    ASSIGN_OR_RETURN(const std::string table, RenderKpiAnswer(answer, view));
    return report.at("title").get<std::string>() + " (" + report.at("name").get<std::string>() +
           ", " + report.at("period").get<std::string>() + ")\n" + Held(answer) + "\n" + table;
  } catch (const json::exception& e) {
    return common::Internal(std::string("unexpected answer from the edge: ") + e.what());
  }
}

int RunReport(const std::vector<std::string>& args, CommandIo& io) {
  const int64_t now_ms = common::SystemClock().NowMs();
  return RunEdgeView({"report", kUsage, kDetails, "name",
                      [](const std::string& name) {
                        return name.empty() ? std::string("/api/v1/reports")
                                            : "/api/v1/reports/" + PercentEncode(name);
                      },
                      [now_ms](SQLite::Database& db, const std::string& name) {
                        return name.empty() ? edge::ReportsAnswer(db, std::nullopt, now_ms)
                                            : edge::RunReport(db, name, now_ms);
                      },
                      [](const std::string& name, const json& answer) {
                        return name.empty() ? RenderReportList(answer) : RenderReportRun(answer);
                      }},
                     args, io);
}

}  // namespace storepulse::cli
