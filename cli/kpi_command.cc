#include "cli/kpi_command.h"

#include <SQLiteCpp/Database.h>

#include "cli/command_line.h"
#include "cli/compare_table.h"
#include "cli/http_client.h"
#include "cli/ingest_command.h"
#include "cli/kpi_table.h"
#include "common/kpi/kpi_compare.h"
#include "common/kpi/kpi_json.h"
#include "common/kpi/kpi_query.h"
#include "common/time_util.h"
#include "edge/edge_kpis.h"
#include "edge/event_store.h"

namespace po = boost::program_options;

namespace storepulse::cli {
namespace {

using nlohmann::json;

constexpr std::string_view kUsage =
    "storepulse kpi — a store's KPIs for a period, from its edge.\n"
    "\n"
    "Usage: storepulse kpi [--from X] [--to Y]\n"
    "                      [--by total|day|hour|channel|employee|sku|category]\n"
    "                      [--compare previous_week|previous_year]\n"
    "                      [--edge URL | --data-dir DIR] [--columns a,b,c] [--json]";

constexpr std::string_view kDetails =
    "The period is [from, to): each bound is a local date (2026-11-22, the store's local\n"
    "midnight) or an RFC 3339 instant (2026-11-22T10:00:00Z). Without --from: today, local to\n"
    "the store; with a date --from and no --to: that one day.\n"
    "Money prints in currency units (the API's minor units / 100), rates as percentages, and\n"
    "\"–\" where a rate has nothing to divide by. --columns takes the KPI names of --json.\n"
    "--data-dir reads the database of a stopped (or running) edge directly, read-only.\n"
    "--compare adds the same period a week (previous_week) or 52 weeks (previous_year, same\n"
    "weekdays) earlier and the change: relative for amounts, in points for rates and scores.\n"
    "--by employee lists the staff by net sales; --by sku the products by units sold, the\n"
    "first 25 (--json has them all), over the whole local days the period touches, with the\n"
    "names of the catalogue central sent; --by category the catalogue's categories by net\n"
    "sales (SKUs it lacks under \"(none)\"), with their margins.\n"
    "\n"
    "Exit status: 0 OK, 1 the query failed, 2 usage error (bad flags, bad date), 3 the edge\n"
    "(or the database) cannot be reached.\n"
    "\n"
    "Examples:\n"
    "  storepulse kpi                                   today's KPIs of the local edge\n"
    "  storepulse kpi --by hour                         today, hour by hour\n"
    "  storepulse kpi --from 2026-11-01 --to 2026-11-08 --by day\n"
    "  storepulse kpi --by day --columns net_sales,footfall,conversion_rate\n"
    "  storepulse kpi --by sku                          today's best sellers\n"
    "  storepulse kpi --by category --from 2026-11-01 --to 2026-12-01\n"
    "  storepulse kpi --compare previous_week          today against the same day last week\n"
    "  storepulse kpi --data-dir /var/lib/storepulse/edge --json\n";

struct KpiFlags {
  std::string from;
  std::string to;
  std::string by = "total";
  std::string edge = std::string(kDefaultEdgeUrl);
  std::string data_dir;
  std::string columns;
  std::string compare;
  bool json = false;
  HttpAccessFlags access = {};
};

po::options_description KpiOptions(KpiFlags* f) {
  po::options_description options;
  options.add_options()("from", po::value(&f->from),
                        "start: local date YYYY-MM-DD or RFC 3339 instant")(
      "to", po::value(&f->to), "end, excluded (default: end of the day of --from, or today)")(
      "by", po::value(&f->by)->default_value(f->by),
      "total, day, hour, channel, employee, sku or category")(
      "edge", po::value(&f->edge)->default_value(f->edge), "the edge's HTTP URL")(
      "data-dir", po::value(&f->data_dir), "read this edge data directory instead, read-only")(
      "columns", po::value(&f->columns), "KPIs to show, comma-separated (e.g. net_sales,aov)")(
      "compare", po::value(&f->compare), "previous_week or previous_year: add that period")(
      "json", po::bool_switch(&f->json), "print the API's JSON answer");
  options.add(HttpAccessOptions(&f->access));
  return options;
}

// The KPI answer and the store's time zone, when known.
struct KpiResult {
  json answer;
  std::string timezone;
};

common::StatusOr<KpiResult> QueryEdge(const KpiFlags& flags) {
  ASSIGN_OR_RETURN(auto client, HttpClient::Create(Peer{"edge", flags.edge, "storepulse-edge", flags.access}));
  const std::string target =
      "/api/v1/kpi" + QueryString({{"from", flags.from},
                                   {"to", flags.to},
                                   {"by", flags.by},
                                   {"compare", flags.compare}});
  ASSIGN_OR_RETURN(json answer, client->GetJson(target));
  KpiResult result{std::move(answer), ""};
  if (result.answer.contains("timezone") && result.answer["timezone"].is_string()) {
    result.timezone = result.answer["timezone"].get<std::string>();
  } else if (!flags.json) {  // the heading names the zone; the status document knows it
    auto status = client->GetJson("/api/v1/status");
    if (status.ok() && status->contains("timezone") && (*status)["timezone"].is_string()) {
      result.timezone = (*status)["timezone"].get<std::string>();
    }
  }
  return result;
}

common::StatusOr<KpiResult> QueryDataDir(const KpiFlags& flags, common::GroupBy by) {
  ASSIGN_OR_RETURN(auto db, edge::OpenReadOnly(flags.data_dir));
  ASSIGN_OR_RETURN(edge::StoreInfo info, edge::ReadStoreInfo(*db));
  common::KpiRequest request;
  request.from = flags.from;
  request.to = flags.to;
  request.by = by;
  ASSIGN_OR_RETURN(const common::CompareWith compare, common::ParseCompareWith(flags.compare));
  ASSIGN_OR_RETURN(const common::KpiAnswer answer,
                   edge::QueryEdgeKpis(*db, request, common::SystemClock().NowMs(), compare));
  return KpiResult{common::KpiAnswerJson(answer), info.timezone};
}

common::Status CheckFlags(const KpiFlags& flags, const po::variables_map& values) {
  if (!flags.data_dir.empty() && !values["edge"].defaulted()) {
    return common::InvalidArgument(
        "--edge and --data-dir exclude each other: ask a running edge, "
        "or read a data directory");
  }
  RETURN_IF_ERROR(common::ParseCompareWith(flags.compare).status());
  return common::ParseGroupBy(flags.by).status();
}

int Show(const KpiFlags& flags, const KpiResult& result, CommandIo& io) {
  if (flags.json) {
    io.out << result.answer.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  const KpiView view{SplitColumns(flags.columns), result.timezone};
  common::StatusOr<std::string> table = HasComparison(result.answer)
                                            ? RenderComparison(result.answer, view)
                                            : RenderKpiAnswer(result.answer, view);
  if (!table.ok()) {
    if (table.status().code() == common::StatusCode::kInvalidArgument) {
      return ReportUsageError(io.err, "kpi", table.status());
    }
    io.err << "storepulse kpi: " << table.status().message() << "\n";
    return kExitFailed;
  }
  io.out << *table;
  return kExitOk;
}

}  // namespace

int RunKpi(const std::vector<std::string>& args, CommandIo& io) {
  KpiFlags flags;
  const po::options_description options = KpiOptions(&flags);
  const CommandLine line{"kpi", kUsage, options, kDetails};
  auto check = [&](const po::variables_map& values) { return CheckFlags(flags, values); };
  if (auto done = ReadCommandLine(line, args, io, check)) return *done;
  const common::GroupBy by = *common::ParseGroupBy(flags.by);
  common::StatusOr<KpiResult> result =
      flags.data_dir.empty() ? QueryEdge(flags) : QueryDataDir(flags, by);
  if (!result.ok()) {
    io.err << "storepulse kpi: " << result.status().message() << "\n";
    return ExitCodeFor(result.status());
  }
  return Show(flags, *result, io);
}

}  // namespace storepulse::cli
