#include "central/central_http_server.h"

#include "central/central_metrics_page.h"
#include "central/dashboard_page.h"
#include "central/document_api.h"
#include "central/fleet_trend.h"
#include "central/network_stock.h"
#include "central/ops_api.h"
#include "common/http/guarded_http_server.h"
#include "common/http/http_json.h"
#include "common/http/kpi_params.h"
#include "common/http/query_params.h"
#include "common/kpi/kpi_json.h"
#include "common/store/overdue_orders.h"

namespace storepulse::central {

using common::HttpStatusFor;
using common::SendError;
using common::SendJson;

CentralHttpServer::CentralHttpServer(CentralHttpContext context) : context_(std::move(context)) {}

CentralHttpServer::~CentralHttpServer() { Stop(); }

common::Status CentralHttpServer::Start(const std::string& listen, int threads,
                                        int connections_per_client,
                                        common::HttpSecurity security) {
  server_ = std::make_unique<common::GuardedHttpServer>(connections_per_client);
  if (security.tls) server_->UseTls(security.tls);
  // Every path needs the read token when one is set, but these: the page holds no data (it asks
  // for the token), and a health check must not need a secret.
  server_->SetReadToken(security.read_token);
  server_->SetAccess("/", common::GuardedHttpServer::Access::kOpen);
  server_->SetAccess("/healthz", common::GuardedHttpServer::Access::kOpen);
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

void CentralHttpServer::Routes() {
  server_->Get("/api/v1/kpi", [this](const httplib::Request& req, httplib::Response& res) {
    auto params = common::QueryParams::Read(
        req, {common::kScopeParam, common::kFromParam, common::kToParam, common::kByParam,
              common::kCompareParam, common::kMarginsParam});
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
    if (context_.storage) fleet["central"]["storage"] = context_.storage();
    SendJson(res, 200, fleet);
  });

  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    SendJson(res, 200, {{"status", "ok"}});
  });

  metrics_page_ = std::make_unique<CentralMetricsPage>(context_, *server_);
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_page_->Text(), "text/plain; version=0.0.4");
  });

  AddOpsRoutes(*server_, context_);
  AddDocumentRoutes(*server_, context_);
  AddStockRoute(*server_, context_);

  server_->Get("/api/v1/orders", [this](const httplib::Request& req, httplib::Response& res) {
    auto params = common::QueryParams::Read(
        req, {common::kScopeParam, common::kStatusParam, common::kLimitParam});
    if (!params.ok()) return SendError(res, 400, params.status().message());
    auto limit = common::ReadOrdersQuery(params->Get("status"), params->Get("limit"));
    if (!limit.ok()) return SendError(res, 400, limit.status().message());
    auto answer =
        context_.reads->OverdueOrders(params->Get("scope"), *limit, context_.clock->NowMs());
    if (!answer.ok()) {
      return SendError(res, HttpStatusFor(answer.status()), answer.status().message());
    }
    SendJson(res, 200, *answer);
  });
  AddFleetTrendRoute(*server_, context_);

  server_->Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(kDashboardPage), "text/html; charset=utf-8");
  });
}

}  // namespace storepulse::central
