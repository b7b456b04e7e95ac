#include "bench/network_kpi_bench.h"

#include <httplib.h>

#include <filesystem>
#include <thread>

#include "bench/bench_report.h"
#include "bench/daemons.h"
#include "bench/network_history.h"
#include "common/time_zone.h"

namespace storepulse::bench {

namespace {

constexpr double kGoalMs = 20;        // a network month, p99
constexpr double kRssGoalMb = 200;    // central, during and after the queries
constexpr int kWarmup = 2;
// Each series stops after the plan's budget once it has kMinQueries timed: today's exact distinct
// customers make a network month take seconds at 1,000 stores.
constexpr size_t kMinQueries = 10;

// [from, to) local dates.
using Period = std::pair<std::string, std::string>;

// The first whole calendar month of the history, and the same span shifted a day either way
// where the history holds it: every query reads a month of every store.
std::vector<Period> MonthWindows(const NetworkHistorySpec& spec) {
  const int64_t first = *common::TimeZone::ParseLocalDate(spec.first_date);
  const int64_t end = first + spec.days;
  int64_t month = first;
  while (month < end && common::TimeZone::FormatLocalDate(month).substr(8) != "01") ++month;
  int64_t next = month + 1;
  while (next < end && common::TimeZone::FormatLocalDate(next).substr(8) != "01") ++next;
  std::vector<Period> out;
  for (int64_t shift : {0, -1, 1}) {
    if (month + shift >= first && next + shift <= end) {
      out.emplace_back(common::TimeZone::FormatLocalDate(month + shift),
                       common::TimeZone::FormatLocalDate(next + shift));
    }
  }
  return out;
}

struct Series {
  std::string by;
  size_t expected_rows = 0;
  std::vector<double> ms;
};

// Times GET /api/v1/kpi?scope=network&by=… over `windows` in turn; fails on an HTTP error or an
// answer without the expected rows and sales.
common::Status TimeSeries(httplib::Client& client, const std::vector<Period>& windows,
                          const Plan& plan, Series* series) {
  Stopwatch budget;
  for (int i = 0; i < plan.network_kpi_queries + kWarmup; ++i) {
    if (series->ms.size() >= kMinQueries && budget.Seconds() > plan.network_kpi_budget_s) break;
    const Period& period = windows[static_cast<size_t>(i) % windows.size()];
    std::string path = "/api/v1/kpi?scope=network&from=" + period.first + "&to=" + period.second +
                       "&by=" + series->by;
    Stopwatch watch;
    auto res = client.Get(path.c_str());
    double elapsed = watch.Ms();
    if (!res || res->status != 200) {
      return common::Internal("GET " + path + " failed" +
                              (res ? ": " + std::to_string(res->status) + " " + res->body : ""));
    }
    auto json = nlohmann::json::parse(res->body, nullptr, false);
    if (json.is_discarded() || !json["rows"].is_array() ||
        json["rows"].size() != series->expected_rows ||
        json["rows"][0].value("transactions", int64_t{0}) <= 0) {
      return common::Internal("GET " + path + ": not " + std::to_string(series->expected_rows) +
                              " rows with sales: " + res->body.substr(0, 300));
    }
    if (i >= kWarmup) series->ms.push_back(elapsed);
  }
  return common::OkStatus();
}

NetworkHistorySpec SpecFor(const Plan& plan) {
  NetworkHistorySpec spec;
  spec.stores = plan.network_stores;
  spec.days = plan.network_days;
  spec.events_per_store_day = plan.network_events_per_store_day;
  spec.code_tag = plan.code_tag;
  return spec;
}

}  // namespace

common::Status RunNetworkKpiBenches(const Plan& plan) {
  const NetworkHistorySpec spec = SpecFor(plan);
  ASSIGN_OR_RETURN(NetworkHistory history, OpenNetworkHistory(plan.cache_dir, spec));
  Note("network history: " + std::to_string(history.events) + " events, " +
       (history.cached ? "cached (built in " : "built in ") +
       std::to_string(static_cast<int>(history.build_s)) + " s), " +
       std::to_string(history.db_bytes >> 20) + " MiB; querying");
  std::error_code ec;
  std::filesystem::remove(history.data_dir + ".log", ec);
  CentralSpec central_spec{history.data_dir, history.secret_key_file, history.stores_file};
  ASSIGN_OR_RETURN(auto central, Daemon::StartCentral(central_spec));
  const double rss_at_start = central->ResidentMb();
  // A connection per query, as curl or a dashboard's fetch: the queries land on the HTTP pool's
  // threads in turn, so central's memory includes what each of them keeps (its malloc arena).
  httplib::Client client("127.0.0.1", central->http_port());
  client.set_keep_alive(false);
  client.set_tcp_nodelay(true);
  client.set_read_timeout(600, 0);
  const std::vector<Period> windows = MonthWindows(spec);
  std::vector<Series> series = {{"total", 1, {}},
                                {"region", std::min<size_t>(spec.stores, 10), {}},
                                {"store", spec.stores, {}}};
  nlohmann::json extra = nlohmann::json::object();
  double worst = 0;
  for (Series& s : series) {
    RETURN_IF_ERROR(TimeSeries(client, windows, plan, &s));
    const double p99 = Percentile(s.ms, 99);
    worst = std::max(worst, p99);
    extra[s.by + "_p99_ms"] = p99;
    extra[s.by + "_p50_ms"] = Percentile(s.ms, 50);
    extra[s.by + "_queries"] = s.ms.size();
    extra[s.by + "_peak_rss_mb"] = central->ResidentMb(/*peak=*/true);
  }
  const double peak = central->ResidentMb(/*peak=*/true);
  std::this_thread::sleep_for(std::chrono::seconds(3));  // idle: what central keeps
  Figure rss = BelowFigure("central_kpi_rss_mb", central->ResidentMb(), "MB", kRssGoalMb);
  rss.met = rss.value < kRssGoalMb && peak < kRssGoalMb;
  rss.extra = {{"peak_rss_mb", peak},
               {"anon_mb", ProcStatusMb(central->pid(), "RssAnon")},
               {"rss_at_start_mb", rss_at_start},
               {"stores", spec.stores},
               {"when", "3 s after the network month queries; peak = VmHWM, during them"}};
  central->Stop();
  Figure f = BelowFigure("central_kpi_network_month_p99_ms", worst, "ms", kGoalMs);
  extra.update(nlohmann::json{
      {"stores", spec.stores}, {"regions", std::min<size_t>(spec.stores, 10)},
      {"events_stored", history.events}, {"history_days", spec.days},
      {"customers_per_store", spec.customers_per_store},
      {"history_build_s", history.build_s}, {"history_cached", history.cached},
      {"db_mib", history.db_bytes >> 20}, {"first_month", windows.front().first},
      {"path", "HTTP GET /api/v1/kpi scope=network, month windows, a connection per query; value = worst p99"}});
  f.extra = extra;
  PrintFigure(f);
  PrintFigure(rss);
  return common::OkStatus();
}

}  // namespace storepulse::bench
