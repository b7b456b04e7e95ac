#include "central/central_http_server.h"

#include "central/dashboard_page.h"
#include "central/fleet_trend.h"
#include "central/network_stock.h"
#include "central/ops_api.h"
#include "common/http/guarded_http_server.h"
#include "common/http/http_json.h"
#include "common/http/kpi_params.h"
#include "common/http/query_params.h"
#include "common/kpi/kpi_json.h"
#include "common/store/view_pass.h"

namespace storepulse::central {

using common::HttpStatusFor;
using common::SendError;
using common::SendJson;

CentralHttpServer::CentralHttpServer(CentralHttpContext context) : context_(std::move(context)) {}

CentralHttpServer::~CentralHttpServer() { Stop(); }

common::Status CentralHttpServer::Start(const std::string& listen, int threads,
                                        int connections_per_client) {
  server_ = std::make_unique<common::GuardedHttpServer>(connections_per_client);
  Routes();
  RETURN_IF_ERROR(server_->Bind(listen, threads));
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return common::OkStatus();
}

void CentralHttpServer::Stop() {
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
}

int64_t CentralHttpServer::WalBytes() const { return context_.reads->WalBytes(); }

namespace {

// The read model of a PostgreSQL log (PgReadModel::Status) as Prometheus series.
std::string ReadModelMetrics(const nlohmann::json& model) {
  return common::PrometheusMetric("storepulse_central_read_model_copied_events_total",
                                  "Events copied from PostgreSQL into this central's read model "
                                  "since it was last opened or rebuilt.",
                                  model.value("copied_events", int64_t{0}), "counter") +
         common::PrometheusMetric("storepulse_central_read_model_rebuilds_total",
                                  "Times the read model was rebuilt from PostgreSQL (the database "
                                  "was recreated or restored from an older backup).",
                                  model.value("rebuilds", int64_t{0}), "counter") +
         common::PrometheusMetric("storepulse_central_read_model_error",
                                  "1 while the read model cannot follow PostgreSQL (last_error in "
                                  "GET /api/v1/fleet, central.read_model).",
                                  model["last_error"].is_null() ? 0 : 1, "gauge");
}

}  // namespace

void CentralHttpServer::Routes() {
  server_->Get("/api/v1/kpi", [this](const httplib::Request& req, httplib::Response& res) {
    auto params = common::QueryParams::Read(req, {common::kScopeParam, common::kFromParam,
                                                  common::kToParam, common::kByParam,
                                                  common::kCompareParam});
    if (!params.ok()) return SendError(res, 400, params.status().message());
    auto kpi = common::ReadKpiParams(*params);
    if (!kpi.ok()) return SendError(res, 400, kpi.status().message());
    auto answer = context_.reads->Kpis(params->Get("scope"), kpi->request, kpi->compare,
                                       context_.clock->NowMs());
    if (!answer.ok()) {
      return SendError(res, HttpStatusFor(answer.status()), answer.status().message());
    }
    SendJson(res, 200, *answer);
  });

  // The hourly chart of the ops page: today and the same local day last week (central_reads.h).
  server_->Get("/api/v1/kpi/hours", [this](const httplib::Request& req, httplib::Response& res) {
    auto params = common::QueryParams::Read(req, {common::kScopeParam});
    if (!params.ok()) return SendError(res, 400, params.status().message());
    auto answer = context_.reads->HoursAgainstLastWeek(params->Get("scope"), context_.clock->NowMs());
    if (!answer.ok()) {
      return SendError(res, HttpStatusFor(answer.status()), answer.status().message());
    }
    SendJson(res, 200, *answer);
  });

  server_->Get("/api/v1/kpis", [](const httplib::Request&, httplib::Response& res) {
    SendJson(res, 200, common::KpiCatalogueJson());
  });

  server_->Get("/api/v1/fleet", [this](const httplib::Request&, httplib::Response& res) {
    nlohmann::json fleet = context_.fleet->ToJson(*context_.directory(), *context_.refusals,
                                                  context_.clock->NowMs());
    fleet["central"] = {{"wal_bytes", WalBytes()},  // central's own state beside its edges'
                        {"views", context_.views ? context_.views() : nlohmann::json(nullptr)},
                        {"database", context_.read_model ? "postgresql" : "sqlite"}};
    if (context_.read_model) fleet["central"]["read_model"] = context_.read_model();
    SendJson(res, 200, fleet);
  });

  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    SendJson(res, 200, {{"status", "ok"}});
  });

  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    std::string text;
    nlohmann::json fleet = context_.fleet->ToJson(*context_.directory(), *context_.refusals,
                                                  context_.clock->NowMs());
    const auto& summary = fleet["summary"];
    text += common::PrometheusMetric("storepulse_central_stores_online", "Stores online.",
                                     summary["online"], "gauge");
    text += common::PrometheusMetric("storepulse_central_stores_offline", "Stores offline.",
                                     summary["offline"], "gauge");
    if (summary["backlog_events"].is_number_integer()) {  // null when the sum does not fit
      text += common::PrometheusMetric("storepulse_central_backlog_events",
                                       "Events stored at edges, not yet at central.",
                                       summary["backlog_events"].get<int64_t>(), "gauge");
    }
    text += common::PrometheusMetric("storepulse_central_stream_rollbacks",
                                     "Streams that went backwards (edges that lost acknowledged "
                                     "commits) since central started.",
                                     summary["stream_rollbacks"].get<int64_t>(), "gauge");
    text += common::PrometheusMetric("storepulse_central_wal_bytes",
                                     "Size of the database's write-ahead log (central.db-wal).",
                                     WalBytes(), "gauge");
    text += common::PrometheusMetric("storepulse_central_refusals_total",
                                     "Edges refused (keys, stores, frames).", summary["refusals"],
                                     "counter");
    const nlohmann::json counters = context_.metrics();  // items() does not keep it alive
    for (const auto& [name, value] : counters.items()) {
      text += common::PrometheusMetric(name.c_str(), "Central counter.", value.get<int64_t>(),
                                       "counter");
    }
    text += AlertMetrics(context_);
    if (context_.views) text += common::ViewPassMetrics(context_.views(), "storepulse_central_");
    if (context_.read_model) text += ReadModelMetrics(context_.read_model());
    text += common::HttpGuardMetrics(*server_, "storepulse_central_");
    res.set_content(text, "text/plain; version=0.0.4");
  });

  AddOpsRoutes(*server_, context_);
  AddStockRoute(*server_, context_);
  AddFleetTrendRoute(*server_, context_);

  server_->Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(kDashboardPage), "text/html; charset=utf-8");
  });
}

}  // namespace storepulse::central
