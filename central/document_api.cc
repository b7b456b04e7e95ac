#include "central/document_api.h"

#include <httplib.h>

#include "common/http/guarded_http_server.h"
#include "common/http/http_json.h"
#include "common/http/query_params.h"
#include "common/reference/network_context.h"
#include "common/reference/report_definitions.h"
#include "common/time_util.h"

namespace storepulse::central {

using common::SendError;
using common::SendJson;

namespace {

void AddPublished(nlohmann::json& answer, const PublishedDocument& document) {
  answer["version"] = document.version;
  answer["published_at"] = common::FormatRfc3339Utc(document.published_ms);
}

}  // namespace

void AddDocumentRoutes(common::GuardedHttpServer& server, const CentralHttpContext& context) {
  const CentralHttpContext* c = &context;
  server.Get("/api/v1/context", [c](const httplib::Request& req, httplib::Response& res) {
    auto params = common::QueryParams::Read(req, {{"store", common::kMaxTextBytes}});
    if (!params.ok()) return SendError(res, 400, params.status().message());
    if (params->Get("store").empty()) return SendError(res, 400, "store: required (?store=S)");
    if (c->documents == nullptr) return SendError(res, 503, "no document board");
    const std::optional<PublishedDocument> document =
        c->documents->Current(common::kContextDocument, params->Get("store"));
    if (!document) {
      return SendError(res, 404,
                       "no context published for store " + params->Get("store") +
                           " (not in the stores file, or not computed yet)");
    }
    auto parsed = common::ContextFromRows(*document->rows);
    if (!parsed.ok()) return SendError(res, 500, parsed.status().message());
    nlohmann::json answer = common::ContextJson(*parsed);
    AddPublished(answer, *document);
    SendJson(res, 200, answer);
  });
  server.Get("/api/v1/reports", [c](const httplib::Request& req, httplib::Response& res) {
    auto params = common::QueryParams::Read(req, {{"audience", 16}});
    if (!params.ok()) return SendError(res, 400, params.status().message());
    std::optional<common::ReportAudience> audience;
    if (params->Has("audience")) {
      auto parsed = common::ParseReportAudience(params->Get("audience"));
      if (!parsed.ok()) return SendError(res, 400, "audience: " + parsed.status().message());
      audience = *parsed;
    }
    if (c->documents == nullptr) return SendError(res, 503, "no document board");
    nlohmann::json answer = {
        {"version", nullptr}, {"published_at", nullptr}, {"reports", nlohmann::json::array()}};
    const std::optional<PublishedDocument> document =
        c->documents->Current(common::kReportsDocument, "");
    if (document) {
      auto reports = common::ReportsFromRows(*document->rows);
      if (!reports.ok()) return SendError(res, 500, reports.status().message());
      AddPublished(answer, *document);
      for (const common::ReportDefinition& report : *reports) {
        if (!audience || common::ReportIsFor(report, *audience)) {
          answer["reports"].push_back(common::ReportJson(report));
        }
      }
    }
    SendJson(res, 200, answer);
  });
}

}  // namespace storepulse::central
