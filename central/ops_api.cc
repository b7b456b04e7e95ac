#include "central/ops_api.h"

#include <httplib.h>

#include "central/alert_monitor.h"
#include "central/alert_requests.h"
#include "central/day_signoff.h"
#include "common/http/guarded_http_server.h"
#include "common/http/http_json.h"
#include "common/http/query_params.h"

namespace storepulse::central {

namespace {

constexpr size_t kMaxNoteBytes = 16 * 1024;  // an id, a name and a comment

}  // namespace

void AddOpsRoutes(common::GuardedHttpServer& server, const CentralHttpContext& context) {
  server.Get("/api/v1/targets", [&context](const httplib::Request&, httplib::Response& res) {
    std::shared_ptr<const common::TargetList> targets =
        context.targets ? context.targets() : std::make_shared<const common::TargetList>();
    auto answer = context.reads->Targets(*targets, context.clock->NowMs());
    if (!answer.ok()) {
      return common::SendError(res, common::HttpStatusFor(answer.status()),
                               answer.status().message());
    }
    common::SendJson(res, 200, *answer);
  });

  // The drivers of a net-sales gap (common/targets/drivers_json.h); scope defaults to network.
  server.Get("/api/v1/drivers", [&context](const httplib::Request& req, httplib::Response& res) {
    auto params = common::QueryParams::Read(
        req, {common::kScopeParam, common::kPeriodParam, common::kAgainstParam});
    if (!params.ok()) return common::SendError(res, 400, params.status().message());
    auto period = common::ParseDriversPeriod(params->Get("period"));
    if (!period.ok()) return common::SendError(res, 400, period.status().message());
    auto against = common::ParseDriversAgainst(params->Get("against"));
    if (!against.ok()) return common::SendError(res, 400, against.status().message());
    const std::string scope = params->Has("scope") ? params->Get("scope") : "network";
    std::shared_ptr<const common::TargetList> targets =
        context.targets ? context.targets() : std::make_shared<const common::TargetList>();
    auto answer =
        context.reads->Drivers(scope, *period, *against, *targets, context.clock->NowMs());
    if (!answer.ok()) {
      return common::SendError(res, common::HttpStatusFor(answer.status()),
                               answer.status().message());
    }
    common::SendJson(res, 200, *answer);
  });

  server.Get("/api/v1/days", [&context](const httplib::Request& req, httplib::Response& res) {
    if (context.days == nullptr) {
      return common::SendError(res, 503, "the day sign-off is not running on this central");
    }
    auto params = common::QueryParams::Read(
        req, {{"store", common::kMaxIdBytes}, common::kFromParam, common::kToParam});
    if (!params.ok()) return common::SendError(res, 400, params.status().message());
    auto answer = context.days->Days(params->Get("store"), params->Get("from"), params->Get("to"),
                                     context.clock->NowMs());
    if (!answer.ok()) {
      return common::SendError(res, common::HttpStatusFor(answer.status()),
                               answer.status().message());
    }
    common::SendJson(res, 200, *answer);
  });

  server.Get("/api/v1/alerts", [&context](const httplib::Request&, httplib::Response& res) {
    if (context.alerts == nullptr) {
      return common::SendError(res, 503, "alerts are not evaluated by this central");
    }
    common::SendJson(res, 200, context.alerts->ToJson());
  });

  // Acknowledge, silence: 200 with the alert, 400 for a bad body, 404 for an id not raised.
  const auto note = [&context](httplib::Response& res, common::StatusOr<std::string> body,
                               bool silence) {
    if (!body.ok()) {
      return common::SendError(res, common::BodyErrorStatus(body.status()),
                               body.status().message());
    }
    if (context.alerts == nullptr) {
      return common::SendError(res, 503, "alerts are not evaluated by this central");
    }
    const int64_t now_ms = context.clock->NowMs();
    common::StatusOr<nlohmann::json> alert = common::InvalidArgument("");
    if (silence) {
      common::StatusOr<SilenceRequest> request = ParseSilenceRequest(*body, now_ms);
      alert = request.ok() ? context.alerts->Silence(request->id, request->until_ms, request->by,
                                                     request->comment, now_ms)
                           : request.status();
    } else {
      common::StatusOr<AckRequest> request = ParseAckRequest(*body);
      alert = request.ok()
                  ? context.alerts->Acknowledge(request->id, request->by, request->comment, now_ms)
                  : request.status();
    }
    if (!alert.ok()) {
      return common::SendError(res, common::HttpStatusFor(alert.status()),
                               alert.status().message());
    }
    common::SendJson(res, 200, *alert);
  };
  server.PostBody("/api/v1/alerts/ack", kMaxNoteBytes, nullptr,
                  [note](const httplib::Request&, httplib::Response& res,
                         common::StatusOr<std::string> body) { note(res, std::move(body), false); });
  server.PostBody("/api/v1/alerts/silence", kMaxNoteBytes, nullptr,
                  [note](const httplib::Request&, httplib::Response& res,
                         common::StatusOr<std::string> body) { note(res, std::move(body), true); });
}

std::string AlertMetrics(const CentralHttpContext& context) {
  if (context.alerts == nullptr) return "";
  return AlertGauges(context.alerts->ToJson()) +
         common::PrometheusMetric("storepulse_central_alerts_raised",
                                  "Alerts raised now (GET /api/v1/alerts).",
                                  context.alerts->raised(), "gauge") +
         common::PrometheusMetric("storepulse_central_alerts_critical",
                                  "Critical alerts raised now (a store offline, a full disk).",
                                  context.alerts->critical(), "gauge");
}

}  // namespace storepulse::central
