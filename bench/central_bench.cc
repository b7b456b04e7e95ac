#include "bench/central_bench.h"

#include <filesystem>

#include "bench/bench_report.h"
#include "bench/daemons.h"
#include "bench/view_lag.h"
#include "bench/wire_load.h"

namespace storepulse::bench {

namespace {

constexpr double kMergeGoalRatio = 0.3;  // SPEC §8: merge ≥ 30% of the raw SQLite rate
constexpr double kCentralRssGoalMb = 200;
constexpr size_t kMergeBatch = 2000;  // the edge replicator's batch and window
constexpr size_t kMergeWindow = 8;
constexpr size_t kFleetWindow = 4;

// A central whose stores file admits `count` stores S0001…, with their key pairs.
struct LoadedCentral {
  std::unique_ptr<ScratchDir> dir;
  std::vector<LoadStore> stores;
  std::string central_public_key;
  std::unique_ptr<Daemon> daemon;
};

common::StatusOr<LoadedCentral> StartLoadedCentral(const std::string& path, size_t count) {
  LoadedCentral c;
  c.dir = std::make_unique<ScratchDir>(path);
  ASSIGN_OR_RETURN(auto central_keys, WriteKeys(c.dir->path(), "central"));
  c.central_public_key = central_keys.public_key;
  std::vector<std::pair<std::string, std::string>> rows;
  for (size_t i = 0; i < count; ++i) {
    std::string name = BenchStoreName(i);
    ASSIGN_OR_RETURN(auto keys, common::GenerateCurveKeyPair());
    rows.emplace_back(name, keys.public_key);
    c.stores.push_back(LoadStore{name, keys});
  }
  WriteTextFile(c.dir->File("stores.csv"), StoresFileText(rows, "Europe/Paris"));
  CentralSpec spec{c.dir->File("central"), c.dir->File("central.key"), c.dir->File("stores.csv")};
  ASSIGN_OR_RETURN(c.daemon, Daemon::StartCentral(spec));
  return c;
}

size_t OpenFds(pid_t pid) {
  std::error_code ec;
  size_t n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++n;
  }
  return n;
}

common::Status RunMerge(const Plan& plan, const References& references) {
  Note("central merge: " + std::to_string(plan.merge_stores) + " stores x " +
       std::to_string(plan.merge_events_per_store) + " events");
  ASSIGN_OR_RETURN(LoadedCentral c,
                   StartLoadedCentral(plan.work_dir + "/central-merge", plan.merge_stores));
  WireLoad load(c.daemon->zmq_endpoint(), c.central_public_key, c.stores, kMergeWindow);
  RETURN_IF_ERROR(load.Connect(std::chrono::seconds(60)));
  ViewLagSampler views(c.daemon->http_port(), ViewSource::kCentralMetrics);
  views.Start();
  RETURN_IF_ERROR(load.StreamBacklog(plan.merge_events_per_store, kMergeBatch,
                                     std::chrono::minutes(10)));
  const double rss_after_merge = c.daemon->ResidentMb();
  views.StopWhenCaughtUp(std::chrono::seconds(120));
  const LoadStats& s = load.stats();
  Figure f = RatioFigure("central_merge", static_cast<double>(s.events_acked) / s.seconds,
                         "events/s", "sqlite_insert_full", references.sqlite_full,
                         kMergeGoalRatio);
  f.extra = {{"stores", plan.merge_stores}, {"events", s.events_acked},
             {"seconds", s.seconds}, {"batch", kMergeBatch}, {"window", kMergeWindow},
             {"central_applied", CentralEventsApplied(c.daemon->http_port())},
             {"ack_p50_ms", Percentile(s.ack_ms, 50)}, {"ack_p99_ms", Percentile(s.ack_ms, 99)},
             {"errors", s.errors}, {"central_rss_mb", rss_after_merge},
             {"central_peak_rss_mb", c.daemon->ResidentMb(/*peak=*/true)},
             {"central_rss_caught_up_mb", c.daemon->ResidentMb()}};
  Figure lag = views.MakeFigure("central_view_lag_ms");
  lag.extra["events"] = s.events_acked;
  lag.extra["during"] = "central_merge, until the views caught up";
  c.daemon->Stop();
  PrintFigure(f);
  PrintFigure(lag);
  return common::OkStatus();
}

common::Status RunFleet(const Plan& plan) {
  Note("fleet: " + std::to_string(plan.fleet_edges) + " edges for " +
       std::to_string(plan.fleet_seconds) + " s");
  ASSIGN_OR_RETURN(LoadedCentral c,
                   StartLoadedCentral(plan.work_dir + "/central-fleet", plan.fleet_edges));
  WireLoad load(c.daemon->zmq_endpoint(), c.central_public_key, c.stores, kFleetWindow);
  Stopwatch connect;
  RETURN_IF_ERROR(load.Connect(std::chrono::seconds(180)));
  double connect_s = connect.Seconds();
  common::Status streamed =
      load.StreamPeriodic(plan.fleet_batch, std::chrono::milliseconds(plan.fleet_period_ms),
                          std::chrono::seconds(plan.fleet_seconds));
  const LoadStats& s = load.stats();
  double offered = static_cast<double>(plan.fleet_edges * plan.fleet_batch) * 1000.0 /
                   plan.fleet_period_ms;
  Figure rate = PlainFigure("fleet_1000_edges", static_cast<double>(s.events_acked) / s.seconds,
                            "events/s");
  // Keeping up: what central applies is what 1,000 edges offer, with no refusal.
  rate.goal = "all connected; applied >= 0.95 of offered";
  rate.met = streamed.ok() && s.errors == 0 && load.welcomed() == plan.fleet_edges &&
             static_cast<double>(s.events_acked) / s.seconds >= 0.95 * offered;
  rate.extra = {{"edges", plan.fleet_edges}, {"welcomed", load.welcomed()},
                {"connect_all_s", connect_s}, {"seconds", s.seconds},
                {"offered_events_per_s", offered}, {"events", s.events_acked},
                {"batches", s.batches_sent}, {"sends_deferred", s.sends_deferred},
                {"errors", s.errors}, {"central_open_fds", OpenFds(c.daemon->pid())}};
  if (!streamed.ok()) rate.extra["problem"] = streamed.message();
  Figure rss = BelowFigure("fleet_central_rss_mb", c.daemon->ResidentMb(), "MB", kCentralRssGoalMb);
  rss.extra = {{"peak_rss_mb", c.daemon->ResidentMb(/*peak=*/true)},
               {"edges", plan.fleet_edges}, {"when", "after the fleet load, still connected"}};
  Figure ack = PlainFigure("fleet_ack_p99_ms", Percentile(s.ack_ms, 99), "ms");
  ack.extra = {{"p50_ms", Percentile(s.ack_ms, 50)}, {"p90_ms", Percentile(s.ack_ms, 90)},
               {"max_ms", Percentile(s.ack_ms, 100)}, {"batches", s.ack_ms.size()},
               {"batch_events", plan.fleet_batch}, {"period_ms", plan.fleet_period_ms}};
  c.daemon->Stop();
  for (const Figure& f : {rate, rss, ack}) PrintFigure(f);
  return common::OkStatus();
}

}  // namespace

common::Status RunCentralBenches(const Plan& plan, const References& references) {
  RETURN_IF_ERROR(RunMerge(plan, references));
  return RunFleet(plan);
}

}  // namespace storepulse::bench
