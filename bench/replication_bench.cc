#include "bench/replication_bench.h"

#include <httplib.h>

#include "bench/bench_report.h"
#include "bench/daemons.h"
#include "bench/history.h"

namespace storepulse::bench {

namespace {

constexpr double kGoalRatio = 0.3;   // SPEC §8: ≥ 30% of the raw SQLite rate
constexpr double kCatchupGoalS = 5;  // a day offline at 200,000 events/day: < 5 s

struct ReplicationRun {
  size_t events = 0;
  double seconds = 0;       // edge start → every event acknowledged
  double first_ack_s = -1;  // edge start → first acknowledged event
  double build_s = 0;
  int64_t central_applied = 0;
};

// Polls the edge's status until central has acknowledged `events` (at most 10 minutes).
common::Status WaitAcked(int port, size_t events, const Stopwatch& watch, ReplicationRun* run) {
  httplib::Client client("127.0.0.1", port);
  client.set_keep_alive(true);
  bool done = WaitUntil(
      [&] {
        auto res = client.Get("/api/v1/status");
        if (!res || res->status != 200) return false;
        auto status = nlohmann::json::parse(res->body, nullptr, false);
        if (status.is_discarded()) return false;
        int64_t acked = status["replication"].value("acked_seq", int64_t{0});
        if (acked > 0 && run->first_ack_s < 0) run->first_ack_s = watch.Seconds();
        return acked == static_cast<int64_t>(events);
      },
      std::chrono::minutes(10), std::chrono::milliseconds(5));
  if (!done) return common::Unavailable("central did not acknowledge everything in 10 min");
  return common::OkStatus();
}

common::StatusOr<ReplicationRun> ReplicateOnce(const Plan& plan, size_t events) {
  ScratchDir dir(plan.work_dir + "/replication");
  ReplicationRun run;
  run.events = events;
  ASSIGN_OR_RETURN(auto central_keys, WriteKeys(dir.path(), "central"));
  ASSIGN_OR_RETURN(auto edge_keys, WriteKeys(dir.path(), "S1"));
  WriteTextFile(dir.File("stores.csv"), StoresFileText({{"S1", edge_keys.public_key}},
                                                       "Europe/Paris"));
  const int64_t to_ms = WallNowMs() - 60'000;
  HistorySpec history{dir.File("edge"), "S1", "Europe/Paris", events, to_ms - 24 * 3600 * 1000,
                      to_ms};
  ASSIGN_OR_RETURN(run.build_s, BuildHistory(history));
  CentralSpec central_spec{dir.File("central"), dir.File("central.key"), dir.File("stores.csv")};
  ASSIGN_OR_RETURN(auto central, Daemon::StartCentral(central_spec));
  EdgeSpec edge_spec;
  edge_spec.data_dir = history.data_dir;
  edge_spec.extra_args = ReplicationArgs(central->zmq_endpoint(), dir.File("central.pub"),
                                         dir.File("S1.key"));
  Stopwatch watch;
  ASSIGN_OR_RETURN(auto edge, Daemon::StartEdge(edge_spec));
  RETURN_IF_ERROR(WaitAcked(edge->http_port(), events, watch, &run));
  run.seconds = watch.Seconds();
  run.central_applied = CentralEventsApplied(central->http_port());
  edge->Stop();
  central->Stop();
  return run;
}

nlohmann::json Extras(const ReplicationRun& run) {
  return {{"events", run.events},
          {"seconds", run.seconds},
          {"first_ack_s", run.first_ack_s},
          {"central_applied", run.central_applied},
          {"history_build_s", run.build_s},
          {"timed", "edge process start -> central acked the last event (CURVE, full/full)"}};
}

}  // namespace

common::Status RunReplicationBenches(const Plan& plan, const References& references) {
  Note("replication of " + std::to_string(plan.replication_events) + " events to central");
  ASSIGN_OR_RETURN(ReplicationRun full, ReplicateOnce(plan, plan.replication_events));
  Figure rate = RatioFigure("replication_full", static_cast<double>(full.events) / full.seconds,
                            "events/s", "sqlite_insert_full", references.sqlite_full, kGoalRatio);
  rate.extra = Extras(full);
  PrintFigure(rate);
  Note("catch-up of " + std::to_string(plan.catchup_events) + " unsent events");
  ASSIGN_OR_RETURN(ReplicationRun catchup, ReplicateOnce(plan, plan.catchup_events));
  Figure seconds = BelowFigure("catchup_200k_s", catchup.seconds, "s", kCatchupGoalS);
  seconds.extra = Extras(catchup);
  PrintFigure(seconds);
  return common::OkStatus();
}

}  // namespace storepulse::bench
