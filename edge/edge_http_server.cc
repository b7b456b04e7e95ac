#include "edge/edge_http_server.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <httplib.h>
#include <openssl/evp.h>

#include <cctype>

#include "common/event_limits.h"
#include "common/http/bearer_token.h"
#include "common/http/guarded_http_server.h"
#include "common/http/http_json.h"
#include "common/http/kpi_params.h"
#include "common/http/query_params.h"
#include "common/kpi/kpi_json.h"
#include "common/log.h"
#include "edge/dashboard_page.h"
#include "edge/edge_drivers.h"
#include "edge/edge_kpis.h"
#include "edge/edge_metrics_page.h"
#include "edge/edge_stock.h"
#include "edge/edge_targets.h"
#include "edge/event_store.h"
#include "edge/reference_answers.h"

namespace storepulse::edge {

using common::HttpStatusFor;
using common::SendError;
using common::SendJson;

namespace {

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// "Authorization: Bearer <token>", or "Basic base64(<any user>:<token>)".
bool ProducerTokenMatches(const httplib::Request& req, const std::string& token) {
  const std::string header = req.get_header_value("Authorization");
  if (common::BearerTokenMatches(header, token)) return true;
  constexpr std::string_view kBasic = "Basic ";
  if (header.size() <= kBasic.size() || header.compare(0, kBasic.size(), kBasic) != 0 ||
      header.size() > 1024) {
    return false;
  }
  const std::string encoded = header.substr(kBasic.size());
  std::string decoded(encoded.size(), '\0');
  const int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                                     reinterpret_cast<const unsigned char*>(encoded.data()),
                                     static_cast<int>(encoded.size()));
  if (length < 0) return false;
  decoded.resize(static_cast<size_t>(length));
  while (!decoded.empty() && decoded.back() == '\0') decoded.pop_back();  // base64 padding
  const size_t colon = decoded.find(':');
  return colon != std::string::npos && decoded.substr(colon + 1) == token;
}

}  // namespace

namespace {
constexpr common::QueryParamSpec kNetworkParam{"network", 1};
}  // namespace

EdgeHttpServer::EdgeHttpServer(EdgeHttpOptions options, IngestService& ingest,
                               EdgeConnectors connectors, EdgeMetrics& metrics,
                               const common::Clock& clock, std::function<nlohmann::json()> status,
                               std::function<std::optional<ReplicationState>()> replication,
                               NetworkStockFn network_stock)
    : options_(std::move(options)),
      ingest_(ingest),
      connectors_(connectors),
      metrics_(metrics),
      clock_(clock),
      status_(std::move(status)),
      replication_(std::move(replication)),
      network_stock_(std::move(network_stock)),
      server_(std::make_unique<common::GuardedHttpServer>(options_.connections_per_client)) {}

EdgeHttpServer::~EdgeHttpServer() { Stop(); }

common::Status EdgeHttpServer::Start() {
  if (options_.security.tls) server_->UseTls(options_.security.tls);
  // With a read token, every path needs it but the producers' (their own token) and these: the
  // page holds no data (it asks for the token), and a health check must not need a secret.
  server_->SetReadToken(options_.security.read_token);
  server_->SetAccess("/", common::GuardedHttpServer::Access::kOpen);
  server_->SetAccess("/healthz", common::GuardedHttpServer::Access::kOpen);
  Routes();
  RETURN_IF_ERROR(server_->Bind(options_.listen, options_.threads));
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return common::OkStatus();
}

void EdgeHttpServer::Stop() {
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
}

void EdgeHttpServer::Routes() {
  // The token is checked on the request's headers, before any byte of its body is read.
  auto admit = [this](const httplib::Request& req) {
    if (options_.token.empty() ||
        common::BearerTokenMatches(req.get_header_value("Authorization"), options_.token)) {
      return common::OkStatus();
    }
    return common::PermissionDenied("missing or wrong bearer token (Authorization: Bearer …)");
  };
  auto ingest = [this](const httplib::Request&, httplib::Response& res,
                       common::StatusOr<std::string> body) {
    if (!body.ok()) {
      metrics_.batches_refused++;
      return SendError(res, common::BodyErrorStatus(body.status()), body.status().message());
    }
    auto batch = common::DecodeJsonBatch(*body);
    if (!batch.ok()) {
      metrics_.batches_refused++;
      // A batch over the limits is 413; anything else that cannot be split into events is 400.
      bool too_large = batch.status().code() == common::StatusCode::kResourceExhausted;
      return SendError(res, too_large ? 413 : 400, batch.status().message());
    }
    IngestResult result = ingest_.IngestBlocking(std::move(batch).value());
    metrics_.Count(metrics_.http, result);
    if (!result.status.ok()) return SendJson(res, HttpStatusFor(result.status), result.ToJson());
    SendJson(res, 200, result.ToJson());
  };
  server_->PostBody("/api/v1/events", common::kMaxBatchBytes, admit, ingest);
  server_->SetAccess("/api/v1/events", common::GuardedHttpServer::Access::kProducer);
  ConnectorRoutes();

  server_->Get("/api/v1/kpi", [this](const httplib::Request& req, httplib::Response& res) {
    metrics_.kpi_queries++;
    auto params =
        common::QueryParams::Read(req, {common::kFromParam, common::kToParam, common::kByParam,
                                        common::kCompareParam, common::kMarginsParam});
    if (!params.ok()) return SendError(res, 400, params.status().message());
    auto kpi = common::ReadKpiParams(*params);
    if (!kpi.ok()) return SendError(res, 400, kpi.status().message());
    auto db = OpenReadOnly(options_.data_dir);
    if (!db.ok()) return SendError(res, HttpStatusFor(db.status()), db.status().message());
    auto answer = QueryEdgeKpis(**db, kpi->request, clock_.NowMs(), kpi->compare);
    if (!answer.ok()) return SendError(res, HttpStatusFor(answer.status()), answer.status().message());
    SendJson(res, 200, common::KpiAnswerJson(*answer));
  });

  server_->Get("/api/v1/kpis", [](const httplib::Request&, httplib::Response& res) {
    SendJson(res, 200, common::KpiCatalogueJson());
  });

  server_->Get("/api/v1/stock", [this](const httplib::Request& req, httplib::Response& res) {
    auto params = common::QueryParams::Read(req, {common::kSkuParam, kNetworkParam});
    if (!params.ok()) return SendError(res, 400, params.status().message());
    const std::string network = params->Get("network");
    if (!network.empty() && network != "0" && network != "1") {
      return SendError(res, 400, "network: 0 or 1");
    }
    if (network == "1" && params->Get("sku").empty()) {
      return SendError(res, 400, "sku: required with network=1");
    }
    auto db = OpenReadOnly(options_.data_dir);
    if (!db.ok()) return SendError(res, HttpStatusFor(db.status()), db.status().message());
    auto answer = QueryEdgeStock(**db, params->Get("sku"));
    if (!answer.ok())
      return SendError(res, HttpStatusFor(answer.status()), answer.status().message());
    if (network != "1") return SendJson(res, 200, *answer);
    // The store's own stock always; the network's when central answers (docs/PROTOCOL.md,
    // "The network's stock at the store").
    common::StatusOr<nlohmann::json> central =
        network_stock_
            ? network_stock_(params->Get("sku"))
            : common::StatusOr<nlohmann::json>(common::Unavailable("this edge has no central"));
    if (!central.ok() && central.status().code() == common::StatusCode::kInvalidArgument) {
      return SendError(res, 400, central.status().message());
    }
    nlohmann::json out = {{"sku", params->Get("sku")}, {"here", std::move(*answer)}};
    if (central.ok()) {
      out["network"] = std::move(*central);
      out["reason"] = nullptr;
    } else {
      out["network"] = "unavailable";
      out["reason"] = central.status().message();
    }
    SendJson(res, 200, out);
  });

  server_->Get("/api/v1/targets", [this](const httplib::Request& req, httplib::Response& res) {
    auto params = common::QueryParams::Read(req, {});
    if (!params.ok()) return SendError(res, 400, params.status().message());
    auto db = OpenReadOnly(options_.data_dir);
    if (!db.ok()) return SendError(res, HttpStatusFor(db.status()), db.status().message());
    auto answer = EvaluateEdgeTargets(**db, options_.opening_hours, clock_.NowMs());
    if (!answer.ok())
      return SendError(res, HttpStatusFor(answer.status()), answer.status().message());
    SendJson(res, 200, *answer);
  });

  server_->Get("/api/v1/drivers", [this](const httplib::Request& req, httplib::Response& res) {
    auto params = common::QueryParams::Read(req, {common::kPeriodParam, common::kAgainstParam});
    if (!params.ok()) return SendError(res, 400, params.status().message());
    auto period = common::ParseDriversPeriod(params->Get("period"));
    if (!period.ok()) return SendError(res, 400, period.status().message());
    auto against = common::ParseDriversAgainst(params->Get("against"));
    if (!against.ok()) return SendError(res, 400, against.status().message());
    auto db = OpenReadOnly(options_.data_dir);
    if (!db.ok()) return SendError(res, HttpStatusFor(db.status()), db.status().message());
    auto answer = EdgeDrivers(**db, options_.opening_hours, *period, *against, clock_.NowMs());
    if (!answer.ok())
      return SendError(res, HttpStatusFor(answer.status()), answer.status().message());
    SendJson(res, 200, *answer);
  });

  server_->Get("/api/v1/orders", [this](const httplib::Request& req, httplib::Response& res) {
    auto params = common::QueryParams::Read(req, {common::kStatusParam, common::kLimitParam});
    if (!params.ok()) return SendError(res, 400, params.status().message());
    auto limit = common::ReadOrdersQuery(params->Get("status"), params->Get("limit"));
    if (!limit.ok()) return SendError(res, 400, limit.status().message());
    auto db = OpenReadOnly(options_.data_dir);
    if (!db.ok()) return SendError(res, HttpStatusFor(db.status()), db.status().message());
    const int64_t now = clock_.NowMs();
    auto answer = QueryEdgeOverdueOrders(**db, now, *limit);
    if (!answer.ok())
      return SendError(res, HttpStatusFor(answer.status()), answer.status().message());
    SendJson(res, 200, common::OverdueOrdersJson(*answer, now, *limit));
  });

  ReferenceRoutes();

  server_->Get("/api/v1/status", [this](const httplib::Request&, httplib::Response& res) {
    SendJson(res, 200, status_());
  });

  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    SendJson(res, 200, {{"status", "ok"}});
  });

  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    EdgeMetricsSources sources{&metrics_, status_(),
                               replication_ ? replication_() : std::nullopt, options_.store,
                               EdgeDatabasePath(options_.data_dir), clock_.NowMs()};
    res.set_content(EdgeMetricsText(*server_, sources) + ConnectorMetrics(),
                    "text/plain; version=0.0.4");
  });

  server_->Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(kDashboardPage), "text/html; charset=utf-8");
  });
}

// What central sent down (edge/reference_answers.h), answered from edge.db with central up or down.
void EdgeHttpServer::ReferenceRoutes() {
  server_->Get("/api/v1/context", [this](const httplib::Request& req, httplib::Response& res) {
    auto params = common::QueryParams::Read(req, {});
    if (!params.ok()) return SendError(res, 400, params.status().message());
    auto db = OpenReadOnly(options_.data_dir);
    if (!db.ok()) return SendError(res, HttpStatusFor(db.status()), db.status().message());
    auto answer = ContextAnswer(**db, clock_.NowMs());
    if (!answer.ok())
      return SendError(res, HttpStatusFor(answer.status()), answer.status().message());
    SendJson(res, 200, *answer);
  });
  server_->Get("/api/v1/reports", [this](const httplib::Request& req, httplib::Response& res) {
    auto params = common::QueryParams::Read(req, {{"audience", 16}});
    if (!params.ok()) return SendError(res, 400, params.status().message());
    std::optional<common::ReportAudience> audience;
    if (params->Has("audience")) {
      auto parsed = common::ParseReportAudience(params->Get("audience"));
      if (!parsed.ok()) return SendError(res, 400, "audience: " + parsed.status().message());
      audience = *parsed;
    }
    auto db = OpenReadOnly(options_.data_dir);
    if (!db.ok()) return SendError(res, HttpStatusFor(db.status()), db.status().message());
    auto answer = ReportsAnswer(**db, audience, clock_.NowMs());
    if (!answer.ok())
      return SendError(res, HttpStatusFor(answer.status()), answer.status().message());
    SendJson(res, 200, *answer);
  });
  server_->Get(R"(/api/v1/reports/([a-z0-9_-]{1,64}))",
               [this](const httplib::Request& req, httplib::Response& res) {
                 auto params = common::QueryParams::Read(req, {});
                 if (!params.ok()) return SendError(res, 400, params.status().message());
                 auto db = OpenReadOnly(options_.data_dir);
                 if (!db.ok()) {
                   return SendError(res, HttpStatusFor(db.status()), db.status().message());
                 }
                 auto answer = RunReport(**db, req.matches[1].str(), clock_.NowMs());
                 if (!answer.ok()) {
                   return SendError(res, HttpStatusFor(answer.status()), answer.status().message());
                 }
                 SendJson(res, 200, *answer);
               });
}

std::string EdgeHttpServer::ConnectorMetrics() const {
  if (connectors_.ingest == nullptr) return "";
  const std::map<std::string, ConnectorCounts> counts = connectors_.ingest->Counts();
  if (counts.empty()) return "";
  std::string text;
  auto header = [&](const std::string& name, const char* help, const char* type) {
    text += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  };
  auto series = [&](const std::string& name, const std::string& labels, int64_t value) {
    text += name + "{" + labels + "} " + std::to_string(value) + "\n";
  };
  auto per_connector = [&](const std::string& name, const char* help, const char* type,
                           int64_t ConnectorCounts::*field) {
    header(name, help, type);
    for (const auto& [connector, c] : counts) {
      series(name, "connector=\"" + connector + "\"", c.*field);
    }
  };
  per_connector("storepulse_edge_connector_requests_total",
                "Requests to POST /api/v1/connectors/<connector> since the start.", "counter",
                &ConnectorCounts::requests);
  per_connector("storepulse_edge_connector_requests_refused_total",
                "Connector requests refused whole (unreadable, unauthenticated) or not all stored.",
                "counter", &ConnectorCounts::refused);
  per_connector("storepulse_edge_connector_records_skipped_total",
                "Source records a connector left out on purpose (voided, training mode).",
                "counter", &ConnectorCounts::skipped);
  const std::string events = "storepulse_edge_connector_events_total";
  header(events, "Events a connector mapped, by what the ingest path did with them.", "counter");
  for (const auto& [connector, c] : counts) {
    const std::string label = "connector=\"" + connector + "\",result=";
    series(events, label + "\"accepted\"", c.accepted);
    series(events, label + "\"duplicate\"", c.duplicates);
    series(events, label + "\"rejected\"", c.rejected);
  }
  header("storepulse_edge_connector_last_request_timestamp_seconds",
         "When the connector last had a request (Unix time).", "gauge");
  for (const auto& [connector, c] : counts) {
    series("storepulse_edge_connector_last_request_timestamp_seconds",
           "connector=\"" + connector + "\"", c.last_request_ms / 1000);
  }
  return text;
}

void EdgeHttpServer::ConnectorRoutes() {
  if (connectors_.registry == nullptr) return;
  // Devices that cannot send a bearer token mostly can send basic auth: the producer token is
  // accepted as its password too. Shopify cannot send either: its HMAC signature, checked by the
  // connector against --shopify-secret-file, authenticates it instead.
  auto admit = [this](const httplib::Request& req) {
    if (options_.token.empty() || ProducerTokenMatches(req, options_.token)) {
      return common::OkStatus();
    }
    return common::PermissionDenied(
        "missing or wrong producer token (Authorization: Bearer <token>, or basic auth with the "
        "token as password)");
  };
  for (const std::string& name : connectors_.registry->names()) {
    const Connector* connector = connectors_.registry->Find(name);
    auto handle = [this, connector](const httplib::Request& req, httplib::Response& res,
                                    common::StatusOr<std::string> body) {
      if (!body.ok()) {
        metrics_.batches_refused++;
        return SendError(res, common::BodyErrorStatus(body.status()), body.status().message());
      }
      ConnectorRequest request;
      request.body = *body;
      for (const auto& [key, value] : req.headers) request.headers[Lower(key)] = value;
      for (const auto& [key, value] : req.params) request.params[key] = value;
      request.store = options_.store;
      request.zone = options_.zone;
      request.now_ms = clock_.NowMs();
      request.money_digits = options_.currency_digits;
      ConnectorAnswer answer = connectors_.ingest->Run(*connector, std::move(request));
      metrics_.connector.accepted += answer.accepted;
      metrics_.connector.duplicate += answer.duplicates;
      metrics_.connector.rejected += answer.rejected;
      if (answer.http_status != 200) metrics_.batches_refused++;
      SendJson(res, answer.http_status, answer.body);
    };
    common::GuardedHttpServer::Admission admission = admit;
    if (connector->authenticates_itself()) {
      admission = [](const httplib::Request&) { return common::OkStatus(); };
    }
    server_->PostBody("/api/v1/connectors/" + name, kMaxConnectorBodyBytes, admission, handle);
    server_->SetAccess("/api/v1/connectors/" + name, common::GuardedHttpServer::Access::kProducer);
  }
}

}  // namespace storepulse::edge
