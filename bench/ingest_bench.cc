#include "bench/ingest_bench.h"

#include <thread>

#include "bench/codec_bench.h"
#include "bench/daemons.h"
#include "bench/ingest_driver.h"
#include "bench/sqlite_reference.h"
#include "bench/store_bench.h"
#include "bench/synthetic_events.h"
#include "bench/view_lag.h"
#include "common/event_codec.h"

namespace storepulse::bench {

namespace {

constexpr double kZmqGoal = 0.5;   // SPEC §8: ZeroMQ/msgpack ≥ 50% of the raw SQLite rate
constexpr double kHttpGoal = 0.2;  // HTTP/JSON ≥ 20%
constexpr double kEdgeRssGoalMb = 30;

struct Workload {
  ProducerBatches msgpack;  // every event, per producer
  ProducerBatches json;     // the first plan.http_events of them
  StoredRows rows;          // every event as the edge stores it
};

// Producer p is till p + 1, its events ordered ids over the last 10 hours.
Workload MakeWorkload(const Plan& plan) {
  Workload w;
  w.msgpack.resize(plan.producers);
  w.json.resize(plan.producers);
  const size_t per_producer = plan.ingest_events / plan.producers;
  const size_t http_per_producer = plan.http_events / plan.producers;
  const int64_t span_ms = 10LL * 3600 * 1000;
  const int64_t step_ms = std::max<int64_t>(1, span_ms / static_cast<int64_t>(per_producer));
  const int64_t start_ms = WallNowMs() - span_ms;
  for (size_t p = 0; p < plan.producers; ++p) {
    for (size_t first = 0; first < per_producer; first += plan.batch) {
      EventRange range{"S1", static_cast<int>(p + 1), static_cast<int64_t>(first),
                       std::min(plan.batch, per_producer - first),
                       start_ms + static_cast<int64_t>(first) * step_ms, step_ms};
      std::vector<common::Event> events = MakeEvents(range);
      w.msgpack[p].push_back(common::EncodeMsgpackBatch(events));
      if (first < http_per_producer) w.json[p].push_back(common::EncodeJsonLines(events));
      for (const common::Event& e : events) w.rows.Add(e);
    }
  }
  return w;
}

common::Status MeasureReferences(const Plan& plan, const Workload& w, References* refs) {
  ScratchDir dir(plan.work_dir + "/reference");
  ReferenceOptions options;
  ASSIGN_OR_RETURN(refs->sqlite_full, MeasureSqliteInsert(dir.path(), w.rows, options));
  options.synchronous_full = false;
  ASSIGN_OR_RETURN(refs->sqlite_normal, MeasureSqliteInsert(dir.path(), w.rows, options));
  for (auto [name, value] : {std::pair{"sqlite_insert_full", refs->sqlite_full},
                             std::pair{"sqlite_insert_normal", refs->sqlite_normal}}) {
    Figure f = PlainFigure(name, value, "rows/s");
    f.extra = {{"rows", w.rows.rows.size()},
               {"rows_per_transaction", options.rows_per_transaction},
               {"best_of_runs", options.runs},
               {"avg_row_bytes", w.rows.bytes.size() / w.rows.rows.size()}};
    PrintFigure(f);
  }
  return common::OkStatus();
}

// One ingest run against a fresh edge; also reports the edge's memory when `rss` is given and
// how far its view pass trailed the log when `lag` is.
common::StatusOr<IngestTally> IngestOnce(const Plan& plan, const std::string& durability,
                                         bool http, const ProducerBatches& batches, Figure* rss,
                                         Figure* lag) {
  ScratchDir dir(plan.work_dir + "/edge-ingest");
  EdgeSpec spec;
  spec.data_dir = dir.File("edge");
  spec.durability = durability;
  ASSIGN_OR_RETURN(auto edge, Daemon::StartEdge(spec));
  const double start_rss = edge->ResidentMb();
  ViewLagSampler views(edge->http_port(), ViewSource::kEdgeStatus);
  if (lag != nullptr) views.Start();
  ASSIGN_OR_RETURN(IngestTally tally, http ? DriveHttpIngest(edge->http_port(), batches)
                                           : DriveZmqIngest(edge->zmq_endpoint(), batches,
                                                            plan.window));
  if (lag != nullptr) {
    views.StopWhenCaughtUp(std::chrono::seconds(120));
    *lag = views.MakeFigure("view_lag_ms");
    lag->extra["events"] = tally.accepted;
    lag->extra["during"] = "edge_ingest_full (ZeroMQ, durability full), until the views caught up";
  }
  if (rss != nullptr) {
    std::this_thread::sleep_for(std::chrono::seconds(3));  // idle: the steady state
    *rss = BelowFigure("edge_rss_mb", edge->ResidentMb(), "MB", kEdgeRssGoalMb);
    rss->extra = {{"peak_rss_mb", edge->ResidentMb(/*peak=*/true)},
                  {"anon_mb", ProcStatusMb(edge->pid(), "RssAnon")},
                  {"file_mb", ProcStatusMb(edge->pid(), "RssFile")},
                  {"rss_at_start_mb", start_rss},
                  {"events_stored", tally.accepted},
                  {"when", "3 s after an ingest over ZeroMQ, durability full"}};
  }
  edge->Stop();
  return tally;
}

Figure IngestFigure(const std::string& name, const IngestTally& t, const std::string& ref_name,
                    double reference, double goal, size_t expected) {
  Figure f = RatioFigure(name, static_cast<double>(t.accepted) / t.seconds, "events/s", ref_name,
                         reference, goal);
  f.extra = {{"events", t.accepted},
             {"batches", t.batches},
             {"seconds", t.seconds},
             {"duplicates", t.duplicates},
             {"rejected", t.rejected}};
  if (t.accepted != static_cast<int64_t>(expected)) {
    f.met = false;
    f.extra["problem"] = "expected " + std::to_string(expected) + " accepted";
  }
  return f;
}

size_t CountEvents(const ProducerBatches& batches, size_t batch) {
  size_t n = 0;
  for (const auto& producer : batches) n += producer.size() * batch;
  return n;
}

}  // namespace

common::Status RunIngestBenches(const Plan& plan, bool references_only, References* references) {
  Note("encoding " + std::to_string(plan.ingest_events) + " events");
  Workload w = MakeWorkload(plan);
  Note("reference: plain batched INSERTs");
  RETURN_IF_ERROR(MeasureReferences(plan, w, references));
  if (references_only) return common::OkStatus();
  RunCodecBenches(w.msgpack, w.json);
  RETURN_IF_ERROR(RunStoreBenches(plan, *references));
  const size_t events = w.rows.rows.size();
  Note("edge ingest over ZeroMQ, durability full");
  Figure rss, lag;
  ASSIGN_OR_RETURN(IngestTally full, IngestOnce(plan, "full", false, w.msgpack, &rss, &lag));
  PrintFigure(IngestFigure("edge_ingest_full", full, "sqlite_insert_full", references->sqlite_full,
                           kZmqGoal, events));
  PrintFigure(lag);
  Note("edge ingest over ZeroMQ, durability normal");
  ASSIGN_OR_RETURN(IngestTally normal, IngestOnce(plan, "normal", false, w.msgpack, nullptr, nullptr));
  PrintFigure(IngestFigure("edge_ingest_normal", normal, "sqlite_insert_normal",
                           references->sqlite_normal, 0, events));
  Note("edge ingest over HTTP JSON Lines, durability full");
  ASSIGN_OR_RETURN(IngestTally http, IngestOnce(plan, "full", true, w.json, nullptr, nullptr));
  PrintFigure(IngestFigure("edge_ingest_http_full", http, "sqlite_insert_full",
                           references->sqlite_full, kHttpGoal, CountEvents(w.json, plan.batch)));
  PrintFigure(rss);
  return common::OkStatus();
}

}  // namespace storepulse::bench
