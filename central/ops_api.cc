#include "central/ops_api.h"

#include <httplib.h>

#include "central/alert_monitor.h"
#include "common/http/guarded_http_server.h"
#include "common/http/http_json.h"

namespace storepulse::central {

void AddOpsRoutes(common::GuardedHttpServer& server, const CentralHttpContext& context) {
  server.Get("/api/v1/targets", [&context](const httplib::Request&, httplib::Response& res) {
    std::shared_ptr<const TargetList> targets =
        context.targets ? context.targets() : std::make_shared<const TargetList>();
    auto answer = context.reads->Targets(*targets, context.clock->NowMs());
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
}

std::string AlertMetrics(const CentralHttpContext& context) {
  if (context.alerts == nullptr) return "";
  return common::PrometheusMetric("storepulse_central_alerts_raised",
                                  "Alerts raised now (GET /api/v1/alerts).",
                                  context.alerts->raised(), "gauge") +
         common::PrometheusMetric("storepulse_central_alerts_critical",
                                  "Critical alerts raised now (a store offline, a full disk).",
                                  context.alerts->critical(), "gauge");
}

}  // namespace storepulse::central
