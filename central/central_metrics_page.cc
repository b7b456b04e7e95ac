#include "central/central_metrics_page.h"

#include <map>

#include "central/central_store.h"
#include "central/ops_api.h"
#include "common/http/daemon_metrics.h"
#include "common/http/guarded_http_server.h"
#include "common/store/view_pass.h"

namespace storepulse::central {

namespace {

using common::PrometheusLabels;
using common::PrometheusText;
using nlohmann::json;

PrometheusLabels StoreLabels(const json& row) {
  return {{"store", row.value("store", "")}, {"region", row.value("region", "")}};
}

// A per-store gauge from a field of the fleet's store rows; rows without the field (a store not
// heard from, or without a heartbeat yet) have no sample.
void AppendStoreGauge(PrometheusText& text, const json& stores, std::string_view name,
                      std::string_view help, const char* field) {
  text.Family(name, help, "gauge");
  for (const json& row : stores) {
    const auto value = row.find(field);
    if (value == row.end() || value->is_null()) continue;
    if (value->is_boolean()) {
      text.Sample(name, StoreLabels(row), int64_t{value->get<bool>() ? 1 : 0});
    } else if (value->is_number_integer()) {
      text.Sample(name, StoreLabels(row), value->get<int64_t>());
    }
  }
}

// The read model of a PostgreSQL log (PgReadModel::Status) as Prometheus series.
void AppendReadModel(PrometheusText& text, const json& model) {
  text.Single("storepulse_central_read_model_copied_events_total",
              "Events copied from PostgreSQL into this central's read model since it was last "
              "opened or rebuilt.",
              "counter", model.value("copied_events", int64_t{0}));
  text.Single("storepulse_central_read_model_rebuilds_total",
              "Times the read model was rebuilt from PostgreSQL (the database was recreated or "
              "restored from an older backup).",
              "counter", model.value("rebuilds", int64_t{0}));
  text.Single("storepulse_central_read_model_error",
              "1 while the read model cannot follow PostgreSQL (last_error in GET /api/v1/fleet, "
              "central.read_model).",
              "gauge", int64_t{model["last_error"].is_null() ? 0 : 1});
}

}  // namespace

std::string CentralMetricsPage::Text() {
  const int64_t now_ms = context_.clock->NowMs();
  const json fleet = context_.fleet->ToJson(*context_.directory(), *context_.refusals, now_ms);
  PrometheusText text;
  common::AppendDaemonMetrics(
      text, server_, {"central", {}, "storepulse_central_", context_.reads->DatabasePath()});
  AppendFleet(text, fleet);
  AppendCounters(text);
  if (context_.document_counters) AppendDocuments(text, context_.document_counters());
  text.Append(AlertMetrics(context_));
  if (context_.views) text.Append(common::ViewPassMetrics(context_.views(), "storepulse_central_"));
  if (context_.read_model) AppendReadModel(text, context_.read_model());
  if (context_.storage) AppendStorage(text, context_.storage());
  AppendStores(text, fleet["stores"]);
  AppendRefusals(text, fleet["stores"]);
  AppendSales(text, fleet["stores"], now_ms);
  return text.Take();
}

void CentralMetricsPage::AppendFleet(PrometheusText& text, const json& fleet) {
  const json& summary = fleet["summary"];
  text.Single("storepulse_central_stores_online",
              "Stores of the stores file heard from within the online window.", "gauge",
              summary.value("online", int64_t{0}));
  text.Single("storepulse_central_stores_offline",
              "Stores of the stores file not heard from within the online window (or never).",
              "gauge", summary.value("offline", int64_t{0}));
  if (summary["backlog_events"].is_number_integer()) {  // null when the sum does not fit
    text.Single("storepulse_central_backlog_events",
                "Events stored at the edges, not yet at central (their last heartbeats).", "gauge",
                summary["backlog_events"].get<int64_t>());
  }
  text.Single("storepulse_central_stream_rollbacks",
              "Streams that went backwards (edges that lost acknowledged commits) since central "
              "started.",
              "gauge", summary.value("stream_rollbacks", int64_t{0}));
  text.Single("storepulse_central_wal_bytes",
              "Size of the database's write-ahead log (central.db-wal).", "gauge",
              context_.reads->WalBytes());
}

void CentralMetricsPage::AppendStorage(PrometheusText& text, const json& storage) {
  text.Single("storepulse_central_storing",
              "1 while central stores what the edges send; 0 since a write failed (a full disk), "
              "until one succeeds.",
              "gauge", int64_t{storage.value("storing", true) ? 1 : 0});
  text.Single("storepulse_central_batches_not_stored_total",
              "Batches answered retry because central could not store them (a full disk, a "
              "failed write) since it started; the edges keep them and send them again.",
              "counter", storage.value("refused_batches", int64_t{0}));
}

void CentralMetricsPage::AppendDocuments(PrometheusText& text,
                                         const DocumentSenderCounters& counters) {
  text.Family("storepulse_central_documents_sent_total",
              "Reference documents sent whole to edges since central started, by kind.", "counter");
  for (const auto& [kind, sent] : counters.documents_sent) {
    text.Sample("storepulse_central_documents_sent_total", {{"kind", kind}}, sent);
  }
  text.Family("storepulse_central_document_bytes_sent_total",
              "Bytes of reference document rows sent to edges since central started, by kind.",
              "counter");
  for (const auto& [kind, bytes] : counters.bytes_sent) {
    text.Sample("storepulse_central_document_bytes_sent_total", {{"kind", kind}}, bytes);
  }
  text.Family("storepulse_central_document_snapshots_total",
              "Reference documents begun as a whole snapshot since central started, by kind.",
              "counter");
  for (const auto& [kind, count] : counters.snapshots) {
    text.Sample("storepulse_central_document_snapshots_total", {{"kind", kind}}, count);
  }
  text.Family("storepulse_central_document_deltas_total",
              "Reference documents begun as a delta (the changed rows) since central started, by "
              "kind.",
              "counter");
  for (const auto& [kind, count] : counters.deltas) {
    text.Sample("storepulse_central_document_deltas_total", {{"kind", kind}}, count);
  }
  text.Single("storepulse_central_document_resends_total",
              "Reference documents sent again after no ack came in time, since central started.",
              "counter", counters.resends);
  text.Single("storepulse_central_document_refusals_total",
              "Reference documents an edge refused since central started.", "counter",
              counters.refused);
}

void CentralMetricsPage::AppendCounters(PrometheusText& text) {
  static const std::map<std::string, std::string> kHelp = {
      {"storepulse_central_events_applied_total",
       "Events this central stored from every edge since it started (replays and duplicates "
       "not counted)."},
      {"storepulse_central_commits_total",
       "Transactions this central's writer committed since it started (one per group of "
       "batches)."}};
  const json counters = context_.metrics ? context_.metrics() : json::object();
  for (const auto& [name, value] : counters.items()) {
    const auto help = kHelp.find(name);
    text.Single(name, help == kHelp.end() ? "A counter of central since it started." : help->second,
                "counter", value.get<int64_t>());
  }
}

void CentralMetricsPage::AppendStores(PrometheusText& text, const json& stores) {
  AppendStoreGauge(text, stores, "storepulse_store_online",
                   "1 when central heard from the store within the online window, else 0.",
                   "online");
  AppendStoreGauge(text, stores, "storepulse_store_silent_seconds",
                   "Seconds since central last heard from the store (none: never heard from).",
                   "silent_s");
  AppendStoreGauge(text, stores, "storepulse_store_backlog_events",
                   "Events stored at the store's edge, not yet at central (its last heartbeat).",
                   "backlog_events");
  AppendStoreGauge(text, stores, "storepulse_store_backlog_value",
                   "Gross sales value of those events, in minor units of the store's currency.",
                   "backlog_value");
  AppendStoreGauge(text, stores, "storepulse_store_lag_seconds",
                   "Age of the oldest event the store's edge has not sent yet (0: nothing unsent).",
                   "lag_s");
  AppendStoreGauge(text, stores, "storepulse_store_clock_skew_seconds",
                   "The edge's clock minus central's, when its last heartbeat arrived.",
                   "clock_skew_s");
  AppendStoreGauge(text, stores, "storepulse_store_disk_free_bytes",
                   "Free space under the edge's data directory (its last heartbeat).",
                   "disk_free_bytes");
  AppendStoreGauge(text, stores, "storepulse_store_disk_accepting",
                   "1 while the edge has room to store events, 0 when it refuses them (disk low).",
                   "disk_accepting");
  const std::map<std::string, int64_t> applied = context_.fleet->AppliedTotals();
  constexpr std::string_view kApplied = "storepulse_store_events_applied_total";
  text.Family(kApplied,
              "Events of the store this central stored since it started (replays and duplicates "
              "not counted).",
              "counter");
  for (const json& row : stores) {
    const auto it = applied.find(row.value("store", ""));
    text.Sample(kApplied, StoreLabels(row), it == applied.end() ? int64_t{0} : it->second);
  }
}

void CentralMetricsPage::AppendRefusals(PrometheusText& text, const json& stores) {
  const auto counts = context_.refusals->CountsByStoreAndReason();
  std::map<std::string, int64_t> by_reason;  // each known reason, 0 until it happens
  for (std::string_view reason : kRefusalReasons) by_reason[std::string(reason)] = 0;
  for (const auto& [store, reasons] : counts) {
    for (const auto& [reason, count] : reasons) by_reason[reason] += count;
  }
  constexpr std::string_view kAll = "storepulse_central_refusals_total";
  text.Family(kAll, "Edges refused (unknown keys, wrong stores, versions, frames), by reason.",
              "counter");
  for (const auto& [reason, count] : by_reason) text.Sample(kAll, {{"reason", reason}}, count);
  constexpr std::string_view kStore = "storepulse_store_refusals_total";
  text.Family(kStore, "Times central refused the store's edge, by reason (GET /api/v1/fleet).",
              "counter");
  for (const json& row : stores) {
    const auto it = counts.find(row.value("store", ""));
    if (it == counts.end()) continue;
    for (const auto& [reason, count] : it->second) {
      PrometheusLabels labels = StoreLabels(row);
      labels.emplace_back("reason", reason);
      text.Sample(kStore, labels, count);
    }
  }
}

void CentralMetricsPage::AppendSales(PrometheusText& text, const json& stores, int64_t now_ms) {
  // The KPIs change when the view pass folds more events (and at each store's midnight).
  const int64_t folded = context_.views ? context_.views().value("folded", int64_t{0}) : 0;
  std::lock_guard lock(sales_mu_);
  const int64_t age_ms = now_ms - sales_read_ms_;
  if (sales_read_ms_ < 0 || age_ms < 0 || age_ms >= kSalesRefreshMs ||
      (folded != sales_folded_ && age_ms >= kSalesMinIntervalMs)) {
    auto today = context_.reads->KpisTodayByStore(now_ms);
    // A failed read keeps the last rows (they are at most a refresh older) and retries next time.
    if (today.ok() && today->contains("rows")) {
      sales_rows_ = (*today)["rows"];
      sales_read_ms_ = now_ms;
      sales_folded_ = folded;
    }
  }
  if (!sales_rows_.is_array()) return;
  std::map<std::string, int64_t> net_sales;
  for (const json& row : sales_rows_) {
    const auto value = row.find("net_sales");
    if (value != row.end() && value->is_number_integer()) {
      net_sales[row.value("key", "")] = value->get<int64_t>();  // by=store: the key is the store
    }
  }
  constexpr std::string_view kName = "storepulse_store_net_sales_today";
  text.Family(kName, "Net sales of the store's local day so far, in minor units of its currency.",
              "gauge");
  for (const json& row : stores) {
    const auto it = net_sales.find(row.value("store", ""));
    text.Sample(kName, StoreLabels(row), it == net_sales.end() ? int64_t{0} : it->second);
  }
}

}  // namespace storepulse::central
