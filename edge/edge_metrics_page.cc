#include "edge/edge_metrics_page.h"

#include <algorithm>

#include "common/http/daemon_metrics.h"
#include "common/http/guarded_http_server.h"
#include "common/store/view_pass.h"

namespace storepulse::edge {

namespace {

using common::PrometheusText;

void AppendIngest(PrometheusText& text, const EdgeMetrics& m) {
  constexpr std::string_view kEvents = "storepulse_edge_ingest_events_total";
  text.Family(kEvents,
              "Events received, by ingest path (http: POST /api/v1/events, zmq, connector: POST "
              "/api/v1/connectors/<name>) and by what was done with them (accepted: stored; "
              "duplicate: already stored; rejected: invalid).",
              "counter");
  for (const auto& [path, counts] : {std::pair{"http", &m.http}, std::pair{"zmq", &m.zmq},
                                     std::pair{"connector", &m.connector}}) {
    text.Sample(kEvents, {{"path", path}, {"result", "accepted"}}, counts->accepted.load());
    text.Sample(kEvents, {{"path", path}, {"result", "duplicate"}}, counts->duplicate.load());
    text.Sample(kEvents, {{"path", path}, {"result", "rejected"}}, counts->rejected.load());
  }
  text.Single("storepulse_edge_batches_refused_total",
              "Batches refused whole on any path (malformed, too large, disk full, I/O).",
              "counter", m.batches_refused.load());
  text.Single("storepulse_edge_kpi_queries_total", "GET /api/v1/kpi requests answered.", "counter",
              m.kpi_queries.load());
}

void AppendStore(PrometheusText& text, const nlohmann::json& status) {
  const nlohmann::json retention = status.value("retention", nlohmann::json::object());
  text.Single("storepulse_edge_last_seq", "Sequence number of the last stored event.", "gauge",
              status.value("last_seq", int64_t{0}));
  text.Single("storepulse_edge_disk_free_bytes", "Free space under the data directory.", "gauge",
              status.value("disk_free_bytes", int64_t{0}));
  text.Single("storepulse_edge_disk_accepting",
              "1 while there is room to store events, 0 when ingest refuses them (disk low).",
              "gauge", int64_t{status.value("disk_accepting", false) ? 1 : 0});
  text.Single("storepulse_edge_wal_bytes", "Size of the database's write-ahead log (edge.db-wal).",
              "gauge", status.value("wal_bytes", int64_t{0}));
  text.Single("storepulse_edge_events_pruned_total",
              "Raw events deleted by retention since the start (their KPIs stay).", "counter",
              retention.value("events_pruned", int64_t{0}));
  text.Single("storepulse_edge_pruned_through_seq",
              "Retention deleted every raw event up to this sequence number.", "gauge",
              retention.value("pruned_through_seq", int64_t{0}));
  text.Append(common::ViewPassMetrics(status["views"], "storepulse_edge_"));
}

// Seconds from `then_ms` to `now_ms`, never negative.
double AgeSeconds(int64_t then_ms, int64_t now_ms) {
  return static_cast<double>(std::max<int64_t>(0, now_ms - then_ms)) / 1000;
}

void AppendReplication(PrometheusText& text, const std::optional<ReplicationState>& state,
                       int64_t now_ms) {
  text.Single("storepulse_edge_replication_configured",
              "1 when the edge replicates to a central (--central-endpoint), else 0.", "gauge",
              int64_t{state ? 1 : 0});
  if (!state) return;
  text.Single("storepulse_edge_replication_connected", "1 while a link to a central is up, else 0.",
              "gauge", int64_t{state->connected ? 1 : 0});
  text.Single("storepulse_edge_replication_streaming",
              "1 while central has welcomed this edge and events flow, else 0.", "gauge",
              int64_t{state->streaming ? 1 : 0});
  text.Single("storepulse_edge_replication_acked_seq",
              "The last sequence number central acknowledged.", "gauge", state->acked_seq);
  text.Single("storepulse_edge_replication_backlog_events",
              "Events stored here that central has not acknowledged.", "gauge",
              state->backlog_events);
  text.Single("storepulse_edge_replication_backlog_value",
              "Gross sales value of those events, in minor units of the store's currency.", "gauge",
              state->backlog_value);
  text.Single("storepulse_edge_replication_oldest_unsent_age_seconds",
              "Age of the oldest event central has not acknowledged (0: none).", "gauge",
              state->oldest_unsent_ms ? AgeSeconds(state->oldest_unsent_ms, now_ms) : 0.0);
  if (state->last_ack_ms != 0) {  // none before the first acknowledgement
    text.Single(
        "storepulse_edge_replication_last_ack_age_seconds",
        "Seconds since central last acknowledged a batch (grows while the store sends nothing).",
        "gauge", AgeSeconds(state->last_ack_ms, now_ms));
  }
  text.Single("storepulse_edge_replication_failovers_total",
              "Moves from one central to the next since the start.", "counter", state->failovers);
  text.Single("storepulse_edge_replication_stream_restarts_total",
              "New streams (incarnations) started since the start.", "counter",
              state->stream_restarts);
}

// The reference documents held (status["documents"], Replicator::DocumentsJson): one age series
// per kind held, and what the receiver stored and refused since the start.
void AppendDocuments(PrometheusText& text, const nlohmann::json& documents) {
  if (!documents.is_object()) return;  // no central configured
  text.Family("storepulse_edge_document_age_seconds",
              "Seconds since the edge stored the reference document it holds of each kind.",
              "gauge");
  for (const nlohmann::json& held : documents["held"]) {
    text.Sample("storepulse_edge_document_age_seconds", {{"kind", held["kind"].get<std::string>()}},
                held["age_s"].get<int64_t>());
  }
  text.Single("storepulse_edge_documents_held", "Kinds of reference document the edge holds.",
              "gauge", static_cast<int64_t>(documents["held"].size()));
  text.Single("storepulse_edge_documents_stored_total",
              "Versions of reference documents stored since the start (snapshots and deltas).",
              "counter", documents.value("stored", int64_t{0}));
  text.Single("storepulse_edge_documents_refused_total",
              "Reference documents refused since the start (bounds, bad rows, a delta not onto the "
              "version held).",
              "counter", documents.value("refused", int64_t{0}));
}

}  // namespace

std::string EdgeMetricsText(const common::GuardedHttpServer& server,
                            const EdgeMetricsSources& sources) {
  PrometheusText text;
  common::AppendDaemonMetrics(
      text, server,
      {"edge", {{"store", sources.store}}, "storepulse_edge_", sources.database_path});
  AppendIngest(text, *sources.counters);
  AppendStore(text, sources.status);
  AppendReplication(text, sources.replication, sources.now_ms);
  AppendDocuments(text, sources.status.value("documents", nlohmann::json()));
  return text.Take();
}

}  // namespace storepulse::edge
