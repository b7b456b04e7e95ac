// Central's GET /metrics (docs/OPERATIONS.md, "Metrics"): the series both daemons export
// (common/http/daemon_metrics.h), the fleet as a whole, central's own counters, and one series per
// store and metric — labels `store` and `region` — taken from the fleet view (central/fleet.h,
// the same figures as GET /api/v1/fleet) and the refusals (central/refusals.h).
//
// Cardinality: every store of the stores file has one series of each per-store gauge, seen or not
// (online 0 until it speaks), plus one refusal series per reason it was refused for; a store not
// heard from yet has no last-seen age, a store without a heartbeat yet no backlog, lag, skew or
// disk. 500 stores make about 5,000 series, 10,000 stores about 100,000: budget Prometheus'
// memory for that (a few KiB a series), or drop the per-store families at scrape time with
// metric_relabel_configs. Refusals of keys no store owns are counted by reason only.
//
// Net sales today per store come from a KPI query, made again when the view pass folded more
// events (at most once every kSalesMinIntervalMs) and at least every kSalesRefreshMs; the rest is
// read from memory on each scrape. Thread-safe (handlers run on the server's threads).
#pragma once

#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "central/central_http_server.h"
#include "common/http/prometheus_text.h"

namespace storepulse::common {
class GuardedHttpServer;
}

namespace storepulse::central {

class CentralMetricsPage {
 public:
  // The query costs about as much as one alert evaluation's (2–3 s at 10,000 stores, measured
  // with no sales): at most one every 15 s on top of theirs.
  static constexpr int64_t kSalesRefreshMs = 60'000;
  static constexpr int64_t kSalesMinIntervalMs = 15'000;

  // REQUIRES: `context` and `server` outlive this.
  CentralMetricsPage(const CentralHttpContext& context, const common::GuardedHttpServer& server)
      : context_(context), server_(server) {}

  // The whole answer of GET /metrics.
  std::string Text();

 private:
  void AppendFleet(common::PrometheusText& text, const nlohmann::json& fleet);
  void AppendStores(common::PrometheusText& text, const nlohmann::json& stores);
  void AppendRefusals(common::PrometheusText& text, const nlohmann::json& stores);
  void AppendStorage(common::PrometheusText& text, const nlohmann::json& storage);
  void AppendCounters(common::PrometheusText& text);
  void AppendDocuments(common::PrometheusText& text, const DocumentSenderCounters& counters);
  void AppendSales(common::PrometheusText& text, const nlohmann::json& stores, int64_t now_ms);

  const CentralHttpContext& context_;
  const common::GuardedHttpServer& server_;
  std::mutex sales_mu_;
  nlohmann::json sales_rows_;   // the last KpisTodayByStore rows; guarded by sales_mu_
  int64_t sales_read_ms_ = -1;  // when they were read; guarded by sales_mu_
  int64_t sales_folded_ = -1;   // the view pass's position then; guarded by sales_mu_
};

}  // namespace storepulse::central
