#include "bench/connector_bench.h"

#include <httplib.h>

#include <algorithm>
#include <functional>

#include "bench/bench_report.h"
#include "bench/connector_payloads.h"
#include "bench/daemons.h"
#include "bench/ingest_driver.h"
#include "common/event_limits.h"
#include "common/time_zone.h"
#include "edge/connectors/connector.h"
#include "edge/connectors/connector_registry.h"

namespace storepulse::bench {

namespace {

using common::StatusOr;

constexpr uint64_t kSeed = 14;
constexpr size_t kFootfallRows = 150'000;
constexpr size_t kCounters = 5;
constexpr size_t kReferenceBatch = common::kMaxBatchEvents;  // 10,000 events a POST
const char kStore[] = "S1";
const char kZone[] = "UTC";

// A payload and what its connector makes of it, mapped in this process before any clock starts.
struct Workload {
  ConnectorPayload payload;
  size_t events = 0;
  size_t line_items = 0;       // the lines of those sales and returns
  size_t skipped = 0;          // source records mapped to nothing on purpose (none here)
  ProducerBatches json_lines;  // the same events for POST /api/v1/events: one producer
  double map_s = 0;            // the connector's Map alone, one thread
};

StatusOr<Workload> Prepare(ConnectorPayload payload) {
  if (payload.body.size() > edge::kMaxConnectorBodyBytes) {
    return common::Internal("the bench's " + payload.connector + " payload is " +
                            std::to_string(payload.body.size()) + " bytes, over the limit");
  }
  ASSIGN_OR_RETURN(common::TimeZone zone, common::TimeZone::Load(kZone));
  ASSIGN_OR_RETURN(auto registry, edge::ConnectorRegistry::Create(edge::ConnectorSettings{}));
  const edge::Connector* connector = registry->Find(payload.connector);
  if (connector == nullptr) return common::Internal("no connector " + payload.connector);
  edge::ConnectorRequest request;
  request.body = payload.body;
  request.store = kStore;
  request.zone = &zone;
  request.now_ms = WallNowMs();
  request.state = [](const std::string&) { return std::optional<std::string>(); };
  Workload w;
  Stopwatch watch;
  ASSIGN_OR_RETURN(edge::ConnectorOutput out, connector->Map(request));
  w.map_s = watch.Seconds();
  if (!out.rejected.empty()) {
    return common::Internal(
        "the bench's " + payload.connector + " payload has " + std::to_string(out.rejected.size()) +
        " rejected records, the first: " + out.rejected[0].source + ": " + out.rejected[0].reason);
  }
  w.events = out.events.size();
  w.skipped = out.skipped.size();
  w.json_lines.resize(1);
  for (size_t i = 0; i < out.events.size(); ++i) {
    if (i % kReferenceBatch == 0) w.json_lines[0].emplace_back();
    w.json_lines[0].back() += out.events[i].json + "\n";
    w.line_items +=
        nlohmann::json::parse(out.events[i].json).value("lines", nlohmann::json::array()).size();
  }
  w.payload = std::move(payload);
  return w;
}

// One timed request, or series of requests, on a fresh edge, and what it cost the edge.
struct Measured {
  double seconds = 0;
  int64_t accepted = 0, duplicates = 0, rejected = 0;
  double rss_at_start_mb = 0, peak_rss_mb = 0, rss_after_mb = 0;
  double edge_cpu_s = 0;  // all the edge's threads, from before the first request to the answer
};

StatusOr<Measured> OnFreshEdge(const Plan& plan,
                               const std::function<StatusOr<Measured>(int port)>& drive) {
  ScratchDir dir(plan.work_dir + "/edge-connector");
  EdgeSpec spec;
  spec.store = kStore;
  spec.timezone = kZone;
  spec.data_dir = dir.File("edge");
  ASSIGN_OR_RETURN(auto edge, Daemon::StartEdge(spec));
  const double start_mb = edge->ResidentMb();
  const double start_cpu = ProcessCpuSeconds(edge->pid());
  ASSIGN_OR_RETURN(Measured m, drive(edge->http_port()));
  m.edge_cpu_s = ProcessCpuSeconds(edge->pid()) - start_cpu;
  m.rss_at_start_mb = start_mb;
  m.peak_rss_mb = edge->ResidentMb(/*peak=*/true);
  m.rss_after_mb = edge->ResidentMb();
  edge->Stop();
  return m;
}

// The whole export in one POST, as a device or `storepulse ingest --format` sends it.
StatusOr<Measured> PostToConnector(int port, const ConnectorPayload& payload) {
  httplib::Client client("127.0.0.1", port);
  client.set_tcp_nodelay(true);
  client.set_read_timeout(300, 0);
  client.set_write_timeout(300, 0);
  Stopwatch watch;
  auto res = client.Post(("/api/v1/connectors/" + payload.connector).c_str(), payload.body,
                         payload.content_type.c_str());
  Measured m;
  m.seconds = watch.Seconds();
  if (!res) return common::Unavailable("POST failed: " + httplib::to_string(res.error()));
  auto answer = nlohmann::json::parse(res->body, nullptr, false);
  if (res->status != 200 || !answer.is_object()) {
    return common::Internal("HTTP " + std::to_string(res->status) + ": " +
                            res->body.substr(0, 300));
  }
  m.accepted = answer.value("accepted", int64_t{0});
  m.duplicates = answer.value("duplicates", int64_t{0});
  m.rejected = static_cast<int64_t>(answer.value("rejected", nlohmann::json::array()).size());
  return m;
}

StatusOr<Measured> PostJsonLines(int port, const ProducerBatches& batches) {
  ASSIGN_OR_RETURN(IngestTally tally, DriveHttpIngest(port, batches));
  Measured m;
  m.seconds = tally.seconds;
  m.accepted = tally.accepted;
  m.duplicates = tally.duplicates;
  m.rejected = tally.rejected;
  return m;
}

// Every run's seconds, the fastest run, and the highest peak over the runs.
struct Series {
  std::vector<double> seconds;
  Measured best;
  double peak_rss_mb = 0;

  void Add(const Measured& m) {
    seconds.push_back(m.seconds);
    if (seconds.size() == 1 || m.seconds < best.seconds) best = m;
    peak_rss_mb = std::max(peak_rss_mb, m.peak_rss_mb);
  }
};

nlohmann::json Details(const Series& s, const Workload& w) {
  return {{"events", w.events},
          {"seconds", s.best.seconds},
          {"runs_s", s.seconds},
          {"peak_rss_mb", s.peak_rss_mb},
          {"rss_at_start_mb", s.best.rss_at_start_mb},
          {"rss_after_mb", s.best.rss_after_mb},
          {"edge_cpu_s", s.best.edge_cpu_s},
          {"accepted", s.best.accepted},
          {"duplicates", s.best.duplicates},
          {"rejected", s.best.rejected}};
}

common::Status Check(const Measured& m, const Workload& w, const std::string& what) {
  if (m.accepted == static_cast<int64_t>(w.events)) return common::OkStatus();
  return common::Internal(what + ": " + std::to_string(m.accepted) + " accepted of " +
                          std::to_string(w.events) + " events (" + std::to_string(m.duplicates) +
                          " duplicates, " + std::to_string(m.rejected) + " rejected)");
}

common::Status MeasureConnector(const Plan& plan, const Workload& w) {
  const std::string name = w.payload.connector;
  const std::string reference_name = "events_jsonl_" + name;
  Series connector, reference;
  for (int run = 0; run < plan.connector_runs; ++run) {
    Note(name + ": " + std::to_string(w.payload.body.size()) + " bytes to the connector, run " +
         std::to_string(run + 1));
    ASSIGN_OR_RETURN(Measured c,
                     OnFreshEdge(plan, [&](int port) { return PostToConnector(port, w.payload); }));
    RETURN_IF_ERROR(Check(c, w, "connector"));
    connector.Add(c);
    Note(name + ": the same events as JSON Lines, run " + std::to_string(run + 1));
    ASSIGN_OR_RETURN(
        Measured r, OnFreshEdge(plan, [&](int port) { return PostJsonLines(port, w.json_lines); }));
    RETURN_IF_ERROR(Check(r, w, "JSON Lines"));
    reference.Add(r);
  }
  const double reference_rate = static_cast<double>(w.events) / reference.best.seconds;
  Figure ref = PlainFigure(reference_name, reference_rate, "events/s");
  ref.extra = Details(reference, w);
  ref.extra["batches"] = w.json_lines[0].size();
  ref.extra["batch_events"] = kReferenceBatch;
  Figure f =
      RatioFigure("connector_" + name, static_cast<double>(w.events) / connector.best.seconds,
                  "events/s", reference_name, reference_rate, 0);
  f.extra = Details(connector, w);
  f.extra["records"] = w.payload.records;
  f.extra["body_bytes"] = w.payload.body.size();
  f.extra["skipped"] = w.skipped;
  f.extra["reference_peak_rss_mb"] = reference.peak_rss_mb;
  f.extra["reference_edge_cpu_s"] = reference.best.edge_cpu_s;
  f.extra["map_in_process_s"] = w.map_s;
  if (w.line_items > 0) {
    const double lines = static_cast<double>(w.line_items);
    f.extra["line_items"] = w.line_items;
    f.extra["line_items_per_s"] = lines / connector.best.seconds;
    f.extra["reference_line_items_per_s"] = lines / reference.best.seconds;
    ref.extra["line_items_per_s"] = lines / reference.best.seconds;
  }
  PrintFigure(ref);
  PrintFigure(f);
  return common::OkStatus();
}

}  // namespace

common::Status RunConnectorBenches(const Plan& plan) {
  Note("connectors: generating and mapping the payloads");
  ASSIGN_OR_RETURN(Workload footfall, Prepare(FootfallCamCsv(kFootfallRows, kCounters, kSeed)));
  RETURN_IF_ERROR(MeasureConnector(plan, footfall));
  ASSIGN_OR_RETURN(Workload poslog, Prepare(PoslogXml(edge::kMaxConnectorBodyBytes, kSeed)));
  return MeasureConnector(plan, poslog);
}

}  // namespace storepulse::bench
