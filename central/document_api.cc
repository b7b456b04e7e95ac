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
  server.Get(R"(/api/v1/reports/([a-z0-9_-]{1,64}))", [c](const httplib::Request& req,
                                                          httplib::Response& res) {
    auto params = common::QueryParams::Read(req, {common::kScopeParam});
    if (!params.ok()) return SendError(res, 400, params.status().message());
    if (c->documents == nullptr || c->reads == nullptr) {
      return SendError(res, 503, "no document board");
    }
    const std::string name = req.matches[1].str();
    const std::optional<PublishedDocument> document =
        c->documents->Current(common::kReportsDocument, "");
    auto reports = document ? common::ReportsFromRows(*document->rows)
                            : common::StatusOr<common::ReportList>(common::ReportList());
    if (!reports.ok()) return SendError(res, 500, reports.status().message());
    const common::ReportDefinition* report = nullptr;
    for (const common::ReportDefinition& one : *reports) {
      if (one.name == name) report = &one;
    }
    if (report == nullptr) return SendError(res, 404, "no report named " + name);
    std::string scope = params->Get("scope");
    if (scope.empty() && report->scope != "network") {
      return SendError(
          res, 400,
          "scope: required for a " + report->scope + " report (scope=" + report->scope + ":…)");
    }
    if (scope.empty()) scope = "network";
    auto answer = c->reads->RunReport(*report, scope, c->clock->NowMs());
    if (!answer.ok()) {
      return SendError(res, common::HttpStatusFor(answer.status()), answer.status().message());
    }
    AddPublished(*answer, *document);
    SendJson(res, 200, *answer);
  });
}

}  // namespace storepulse::central
