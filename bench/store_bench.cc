#include "bench/store_bench.h"

#include <sys/resource.h>

#include "bench/bench_report.h"
#include "bench/daemons.h"
#include "bench/synthetic_events.h"
#include "common/store/view_pass.h"
#include "common/time_util.h"
#include "common/time_zone.h"
#include "edge/event_store.h"

namespace storepulse::bench {

namespace {

// The batches of one group commit: producer p's batch b of the group, as the ingest bench sends.
std::vector<std::vector<common::Event>> GroupBatches(const Plan& plan, size_t group,
                                                     int64_t start_ms, int64_t step_ms) {
  std::vector<std::vector<common::Event>> batches;
  for (size_t w = 0; w < plan.window; ++w) {
    for (size_t p = 0; p < plan.producers; ++p) {
      size_t first = (group * plan.window + w) * plan.batch;
      EventRange range{"S1", static_cast<int>(p + 1), static_cast<int64_t>(first), plan.batch,
                       start_ms + static_cast<int64_t>(first) * step_ms, step_ms};
      batches.push_back(MakeEvents(range));
    }
  }
  return batches;
}

// CPU seconds this process has used so far (every thread).
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Folds every stored event into the views with the edge's view pass (groups of 10,000, as the
// edge daemon folds): events per CPU second of the pass (this thread only waits meanwhile), so
// the figure moves little with the load of other processes.
common::StatusOr<double> FoldAll(edge::EventStore& store) {
  common::SystemClock clock;
  common::ViewPassOptions options;
  options.max_group_events = 10'000;
  ASSIGN_OR_RETURN(auto views, store.OpenViewPass(clock, options));
  const int64_t from = views->folded(), to = store.info().last_seq;
  const double cpu = ProcessCpuSeconds();
  views->Start();
  views->Committed(to);
  RETURN_IF_ERROR(views->CatchUp(to, 600'000));
  const double seconds = ProcessCpuSeconds() - cpu;
  views->Stop();
  return static_cast<double>(to - from) / seconds;
}

// Stores every ingest event through a fresh EventStore; events/s counting only the time inside
// the transactions (making the events is not timed). With `fold`, then folds them (FoldAll).
common::StatusOr<double> AppendAll(const Plan& plan, const std::string& dir, bool grouped,
                                   double* fold = nullptr) {
  ScratchDir scratch(dir);
  ASSIGN_OR_RETURN(common::TimeZone zone, common::TimeZone::Load("Europe/Paris"));
  ASSIGN_OR_RETURN(auto store, edge::EventStore::Open(scratch.File("edge"), "S1", zone,
                                                      edge::Durability::kFull));
  const size_t per_producer = plan.ingest_events / plan.producers;
  const size_t groups = per_producer / (plan.batch * plan.window);
  const int64_t span_ms = 10LL * 3600 * 1000, start_ms = WallNowMs() - span_ms;
  const int64_t step_ms = std::max<int64_t>(1, span_ms / static_cast<int64_t>(per_producer));
  std::vector<edge::AppendOutcome> outcomes;
  double seconds = 0;
  size_t stored = 0;
  for (size_t g = 0; g < groups; ++g) {
    auto batches = GroupBatches(plan, g, start_ms, step_ms);
    std::vector<common::Event> all;
    if (grouped) {
      for (auto& b : batches) all.insert(all.end(), b.begin(), b.end());
      batches = {std::move(all)};
    }
    Stopwatch watch;
    ASSIGN_OR_RETURN(edge::EventStore::Group transaction, store->BeginGroup());
    for (const auto& batch : batches) {
      RETURN_IF_ERROR(transaction.Append(batch, WallNowMs(), &outcomes));
      stored += batch.size();
    }
    RETURN_IF_ERROR(transaction.Commit());
    seconds += watch.Seconds();
  }
  if (fold != nullptr) {
    ASSIGN_OR_RETURN(*fold, FoldAll(*store));
  }
  return static_cast<double>(stored) / seconds;
}

}  // namespace

common::Status RunStoreBenches(const Plan& plan, const References& references) {
  Note("edge storage in-process (EventStore::Append), durability full");
  ASSIGN_OR_RETURN(double per_batch, AppendAll(plan, plan.work_dir + "/store", false));
  double fold = 0;
  ASSIGN_OR_RETURN(double grouped, AppendAll(plan, plan.work_dir + "/store", true, &fold));
  const nlohmann::json extra = {
      {"events", plan.ingest_events},
      {"transaction", std::to_string(plan.producers * plan.window) + " batches of " +
                          std::to_string(plan.batch)}};
  Figure a = RatioFigure("edge_store_append_full", per_batch, "events/s", "sqlite_insert_full",
                         references.sqlite_full, 0);
  a.extra = extra;
  a.extra["append_calls"] = "one per batch (GroupCommitWriter until 2026-11-22)";
  Figure b = RatioFigure("edge_store_append_grouped_full", grouped, "events/s",
                         "sqlite_insert_full", references.sqlite_full, 0);
  b.extra = extra;
  b.extra["append_calls"] = "one per transaction, as GroupCommitWriter now does";
  Figure c = RatioFigure("edge_view_fold", fold, "events/CPU s", "sqlite_insert_full",
                         references.sqlite_full, 0);
  c.extra = {{"events", plan.ingest_events},
             {"what",
              "the view pass alone, in-process: the grouped append's events folded in "
              "groups of 10,000, per CPU second"}};
  PrintFigure(a);
  PrintFigure(b);
  PrintFigure(c);
  return common::OkStatus();
}

}  // namespace storepulse::bench
