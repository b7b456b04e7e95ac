#include "bench/central_pg_bench.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "bench/bench_report.h"
#include "bench/child_process.h"
#include "bench/daemons.h"
#include "bench/pg_copy_reference.h"
#include "bench/pg_server.h"
#include "bench/synthetic_events.h"
#include "bench/wire_load.h"

namespace storepulse::bench {

namespace {

constexpr double kMergeGoalRatio = 0.3;  // issue 10: ≥ 30% of the COPY rate
constexpr size_t kMergeBatch = 2000;     // the edge replicator's batch and window, as central_merge
constexpr size_t kMergeWindow = 8;
constexpr auto kCatchUpDeadline = std::chrono::minutes(5);
constexpr int kTopStatements = 6;

// How long after the load a central's read model held everything, from what a user can read.
struct ReadModelLag {
  int64_t folded_at_load_end = -1;  // central.views.folded when the last ack came
  double views_caught_up_ms = -1;   // central.views: every event copied and folded
  double kpi_exact_ms = -1;         // GET /api/v1/kpi: transactions as many as the load's sales
  int64_t kpi_transactions = -1;    // its last answer
};

struct PgMergeRun {
  LoadStats load;
  std::vector<ReadModelLag> lags;                     // one per central
  nlohmann::json centrals = nlohmann::json::array();  // PerCentral
  nlohmann::json statements;
  int64_t wal_bytes = 0;
  double server_cpu_s = 0;  // during the load, the server's processes
};

// YYYY-MM-DD of the UTC day `days` after the one holding `ms`.
std::string UtcDate(int64_t ms, int days) {
  using namespace std::chrono;
  const year_month_day date{floor<std::chrono::days>(sys_time<milliseconds>(milliseconds(ms))) +
                            std::chrono::days(days)};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

// The sales among the load's events: what the network's `transactions` KPI must count.
int64_t LoadSales(size_t stores, size_t events_per_store) {
  int64_t sales = 0;
  for (size_t n = 0; n < events_per_store; ++n) {
    sales += MakeEvent("S", 1, static_cast<int64_t>(n), 0).type == common::EventType::kSale;
  }
  return sales * static_cast<int64_t>(stores);
}

// Polls every central's fleet views, then its KPIs, until each has everything (at most
// kCatchUpDeadline after the load).
std::vector<ReadModelLag> MeasureReadModelLag(const std::vector<std::unique_ptr<Daemon>>& centrals,
                                              int64_t events, int64_t sales,
                                              const std::string& kpi_path) {
  Stopwatch since_load;
  std::vector<ReadModelLag> lags(centrals.size());
  auto views_of = [](int port) {
    auto fleet = HttpGetJson(port, "/api/v1/fleet");
    nlohmann::json views = fleet ? fleet->value("central", nlohmann::json::object())
                                       .value("views", nlohmann::json::object())
                                 : nlohmann::json::object();
    return views.is_object() ? views : nlohmann::json::object();
  };
  for (size_t i = 0; i < centrals.size(); ++i) {
    lags[i].folded_at_load_end = views_of(centrals[i]->http_port()).value("folded", int64_t{-1});
  }
  auto done = [&] {
    return std::all_of(lags.begin(), lags.end(), [](const auto& l) { return l.kpi_exact_ms >= 0; });
  };
  while (!done() && since_load.Seconds() < std::chrono::seconds(kCatchUpDeadline).count()) {
    for (size_t i = 0; i < centrals.size(); ++i) {
      ReadModelLag& lag = lags[i];
      const int port = centrals[i]->http_port();
      if (lag.views_caught_up_ms < 0) {
        nlohmann::json views = views_of(port);
        if (views.value("folded", int64_t{0}) >= events &&
            views.value("pending_events", int64_t{1}) == 0) {
          lag.views_caught_up_ms = since_load.Ms();
        }
      } else if (lag.kpi_exact_ms < 0) {
        auto kpi = HttpGetJson(port, kpi_path);
        if (kpi && kpi->contains("rows") && !(*kpi)["rows"].empty()) {
          lag.kpi_transactions = (*kpi)["rows"][0].value("transactions", int64_t{-1});
          if (lag.kpi_transactions == sales) lag.kpi_exact_ms = since_load.Ms();
        }
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return lags;
}

// `count` centrals over one database at `url`, sharing one key pair and one stores file that
// admits the load's stores.
struct PgCentrals {
  std::unique_ptr<ScratchDir> dir;
  std::vector<LoadStore> stores;
  std::string public_key;
  std::vector<std::unique_ptr<Daemon>> daemons;
  std::vector<std::string> endpoints;
};

common::StatusOr<PgCentrals> StartPgCentrals(const std::string& path, const std::string& url,
                                             size_t stores, size_t count) {
  PgCentrals c;
  c.dir = std::make_unique<ScratchDir>(path);
  ASSIGN_OR_RETURN(auto central_keys, WriteKeys(c.dir->path(), "central"));
  c.public_key = central_keys.public_key;
  std::vector<std::pair<std::string, std::string>> rows;
  for (size_t i = 0; i < stores; ++i) {
    ASSIGN_OR_RETURN(auto keys, common::GenerateCurveKeyPair());
    rows.emplace_back(BenchStoreName(i), keys.public_key);
    c.stores.push_back(LoadStore{BenchStoreName(i), keys});
  }
  WriteTextFile(c.dir->File("stores.csv"), StoresFileText(rows, "Europe/Paris"));
  for (size_t i = 0; i < count; ++i) {
    CentralSpec spec{c.dir->File("central-" + std::to_string(i + 1)),
                     c.dir->File("central.key"),
                     c.dir->File("stores.csv"),
                     "full",
                     {"--database", url}};
    ASSIGN_OR_RETURN(auto central, Daemon::StartCentral(spec));
    c.endpoints.push_back(central->zmq_endpoint());
    c.daemons.push_back(std::move(central));
  }
  return c;
}

// What the server and the centrals have used so far: subtracted around the load.
struct Usage {
  int64_t wal_bytes = 0;
  double server_cpu_s = 0;
  std::vector<double> central_cpu_s;
};

common::StatusOr<Usage> ReadUsage(PgServer& server,
                                  const std::vector<std::unique_ptr<Daemon>>& centrals) {
  Usage usage;
  ASSIGN_OR_RETURN(usage.wal_bytes, server.WalPosition());
  usage.server_cpu_s = server.CpuSeconds();
  for (const auto& central : centrals) {
    usage.central_cpu_s.push_back(ProcessCpuSeconds(central->pid()));
  }
  return usage;
}

// The per-central details of a run: what it used during the load, then its read model's lag.
nlohmann::json PerCentral(const std::vector<std::unique_ptr<Daemon>>& centrals, const Usage& before,
                          const Usage& after, const std::vector<nlohmann::json>& memory,
                          const std::vector<ReadModelLag>& lags) {
  nlohmann::json per = nlohmann::json::array();
  for (size_t i = 0; i < centrals.size(); ++i) {
    nlohmann::json c = memory[i];
    c["cpu_s"] = after.central_cpu_s[i] - before.central_cpu_s[i];
    c["events_applied"] = CentralEventsApplied(centrals[i]->http_port());
    c["read_model_folded_at_load_end"] = lags[i].folded_at_load_end;
    c["read_model_caught_up_ms"] = lags[i].views_caught_up_ms;
    c["kpi_exact_ms"] = lags[i].kpi_exact_ms;
    c["kpi_transactions"] = lags[i].kpi_transactions;
    c["rss_caught_up_mb"] = centrals[i]->ResidentMb();
    per.push_back(std::move(c));
  }
  return per;
}

// The central_merge load through `count` centrals over one fresh database `database`.
common::StatusOr<PgMergeRun> RunPgMerge(const Plan& plan, PgServer& server,
                                        const std::string& database, size_t count) {
  Note("central merge on PostgreSQL, " + std::to_string(count) +
       " central(s): " + std::to_string(plan.merge_stores) + " stores x " +
       std::to_string(plan.merge_events_per_store) + " events");
  ASSIGN_OR_RETURN(std::string url, server.CreateDatabase(database));
  ASSIGN_OR_RETURN(PgCentrals chain,
                   StartPgCentrals(plan.work_dir + "/" + database, url, plan.merge_stores, count));
  const std::vector<std::unique_ptr<Daemon>>& centrals = chain.daemons;
  const int64_t events = static_cast<int64_t>(plan.merge_stores * plan.merge_events_per_store);
  const int64_t sales = LoadSales(plan.merge_stores, plan.merge_events_per_store);
  const int64_t now = WallNowMs();
  const std::string kpi_path =
      "/api/v1/kpi?scope=network&by=total&from=" + UtcDate(now, -2) + "&to=" + UtcDate(now, 2);

  WireLoad load(chain.endpoints, chain.public_key, chain.stores, kMergeWindow);
  RETURN_IF_ERROR(load.Connect(std::chrono::seconds(60)));
  RETURN_IF_ERROR(server.StartOfRun());
  ASSIGN_OR_RETURN(Usage before, ReadUsage(server, centrals));
  RETURN_IF_ERROR(
      load.StreamBacklog(plan.merge_events_per_store, kMergeBatch, std::chrono::minutes(10)));
  ASSIGN_OR_RETURN(Usage after, ReadUsage(server, centrals));
  std::vector<nlohmann::json> memory;  // right after the load, as central_merge's
  for (const auto& central : centrals) {
    memory.push_back(
        {{"rss_mb", central->ResidentMb()}, {"peak_rss_mb", central->ResidentMb(/*peak=*/true)}});
  }
  PgMergeRun run;
  run.load = load.stats();
  run.wal_bytes = after.wal_bytes - before.wal_bytes;
  run.server_cpu_s = after.server_cpu_s - before.server_cpu_s;
  ASSIGN_OR_RETURN(run.statements, server.TopStatements(database, kTopStatements));
  run.lags = MeasureReadModelLag(centrals, events, sales, kpi_path);
  run.centrals = PerCentral(centrals, before, after, memory, run.lags);
  for (const auto& central : centrals) central->Stop();
  return run;
}

Figure MergeFigure(const std::string& name, const Plan& plan, const PgMergeRun& run,
                   double reference, double min_ratio) {
  const LoadStats& s = run.load;
  Figure f = RatioFigure(name, static_cast<double>(s.events_acked) / s.seconds, "events/s",
                         "postgres_copy", reference, min_ratio);
  f.extra = {{"centrals", run.centrals.size()},
             {"stores", plan.merge_stores},
             {"events", s.events_acked},
             {"seconds", s.seconds},
             {"batch", kMergeBatch},
             {"window", kMergeWindow},
             {"ack_p50_ms", Percentile(s.ack_ms, 50)},
             {"ack_p99_ms", Percentile(s.ack_ms, 99)},
             {"errors", s.errors},
             {"wal_bytes_per_event", static_cast<double>(run.wal_bytes) /
                                         static_cast<double>(std::max<int64_t>(1, s.events_acked))},
             {"server_cpu_s", run.server_cpu_s},
             {"server_statements", run.statements},
             {"per_central", run.centrals}};
  if (s.errors > 0) f.extra["last_error"] = s.last_error;
  return f;
}

Figure LagFigure(const std::string& name, const std::string& during, const PgMergeRun& run) {
  double worst = 0;
  bool all = true;
  for (const ReadModelLag& lag : run.lags) {
    worst = std::max(worst, lag.views_caught_up_ms);
    all = all && lag.views_caught_up_ms >= 0 && lag.kpi_exact_ms >= 0;
  }
  Figure f = PlainFigure(name, all ? worst : -1, "ms");
  f.extra = {{"during", during},
             {"what",
              "after the last ack: every event copied into the central's read model and "
              "folded (fleet central.views), the slowest central"},
             {"events", run.load.events_acked}};
  nlohmann::json per = nlohmann::json::array();
  for (const ReadModelLag& lag : run.lags) {
    per.push_back({{"folded_at_load_end", lag.folded_at_load_end},
                   {"caught_up_ms", lag.views_caught_up_ms},
                   {"kpi_exact_ms", lag.kpi_exact_ms}});
  }
  f.extra["per_central"] = std::move(per);
  return f;
}

}  // namespace

common::Status RunCentralPgBenches(const Plan& plan) {
  ASSIGN_OR_RETURN(auto server, PgServer::Start(plan.work_dir + "/pg"));
  ASSIGN_OR_RETURN(nlohmann::json settings, server->Settings());
  ASSIGN_OR_RETURN(std::string reference_url, server->CreateDatabase("bench_reference"));
  (void)reference_url;
  PgCopyOptions copy;
  copy.stores = plan.merge_stores;
  copy.events_per_store = plan.merge_events_per_store;
  copy.batch = kMergeBatch;
  // The reference brackets the loads: two runs before them, one after; the best is the limit.
  copy.runs = 2;
  Note("postgres_copy: " + std::to_string(copy.stores * copy.events_per_store) + " rows x " +
       std::to_string(copy.runs));
  ASSIGN_OR_RETURN(PgCopyResult before, MeasurePgCopy(*server, "bench_reference", copy));
  ASSIGN_OR_RETURN(PgMergeRun one, RunPgMerge(plan, *server, "bench_pg_1", 1));
  ASSIGN_OR_RETURN(PgMergeRun two, RunPgMerge(plan, *server, "bench_pg_2", 2));
  copy.runs = 1;
  Note("postgres_copy, after the loads");
  ASSIGN_OR_RETURN(PgCopyResult after, MeasurePgCopy(*server, "bench_reference", copy));

  const PgCopyResult& best = after.rows_per_s > before.rows_per_s ? after : before;
  std::vector<double> runs = before.runs_rows_per_s;
  runs.push_back(after.rows_per_s);
  Figure reference = PlainFigure("postgres_copy", best.rows_per_s, "rows/s");
  reference.extra = {{"rows", copy.stores * copy.events_per_store},
                     {"rows_per_transaction", copy.rows_per_transaction},
                     {"runs_rows_per_s", runs},
                     {"when", "2 runs before the loads, 1 after; the best"},
                     {"wal_bytes_per_row", best.wal_bytes_per_row},
                     {"body_bytes_per_row", best.body_bytes_per_row},
                     {"server_cpu_s", best.server_cpu_s},
                     {"server_settings", settings}};
  Figure pg1 = MergeFigure("central_merge_pg", plan, one, best.rows_per_s, kMergeGoalRatio);
  Figure pg2 = MergeFigure("central_merge_pg_2", plan, two, best.rows_per_s, 0);
  pg2.extra["vs_central_merge_pg"] = pg2.value / pg1.value;
  pg2.extra["split"] = "store i streams to central i % 2";
  PrintFigure(reference);
  PrintFigure(pg1);
  PrintFigure(LagFigure("central_pg_read_model_lag_ms", "central_merge_pg", one));
  PrintFigure(pg2);
  PrintFigure(LagFigure("central_pg_2_read_model_lag_ms", "central_merge_pg_2", two));
  return common::OkStatus();
}

}  // namespace storepulse::bench
