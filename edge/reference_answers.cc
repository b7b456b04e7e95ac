#include "edge/reference_answers.h"

#include <algorithm>

#include "common/reference/network_context.h"
#include "common/reference/report_run.h"
#include "common/time_util.h"
#include "common/time_zone.h"
#include "edge/edge_kpis.h"
#include "edge/event_store.h"
#include "edge/reference_store.h"

namespace storepulse::edge {
namespace {

using nlohmann::json;

// Adds the held document's version and age to `answer`.
void AddHeld(json& answer, const HeldDocument& held, int64_t now_ms) {
  answer["version"] = held.version;
  answer["received_at"] = common::FormatRfc3339Utc(held.received_ms);
  answer["age_s"] = std::max<int64_t>(0, (now_ms - held.received_ms) / 1000);
}

// The reports document held, read; none before central sent one.
struct HeldReports {
  HeldDocument held;
  common::ReportList reports;
};

common::StatusOr<std::optional<HeldReports>> ReadHeldReports(SQLite::Database& db) {
  ASSIGN_OR_RETURN(std::optional<HeldDocument> held,
                   ReadHeldDocument(db, common::kReportsDocument));
  if (!held) return std::optional<HeldReports>();
  common::StatusOr<common::ReportList> reports = common::ReportsFromRows(held->rows);
  if (!reports.ok()) {
    return common::Internal("the reports document held (version " + held->version +
                            ") does not read: " + reports.status().message());
  }
  return std::optional<HeldReports>(HeldReports{std::move(*held), std::move(reports).value()});
}

}  // namespace

common::StatusOr<json> ContextAnswer(SQLite::Database& db, int64_t now_ms) {
  ASSIGN_OR_RETURN(std::optional<HeldDocument> held,
                   ReadHeldDocument(db, common::kContextDocument));
  if (!held) return common::NotFound("no network context from central yet");
  common::StatusOr<common::NetworkContext> context = common::ContextFromRows(held->rows);
  if (!context.ok()) {
    return common::Internal("the context held (version " + held->version +
                            ") does not read: " + context.status().message());
  }
  json answer = common::ContextJson(*context);
  AddHeld(answer, *held, now_ms);
  return answer;
}

common::StatusOr<json> ReportsAnswer(SQLite::Database& db,
                                     std::optional<common::ReportAudience> audience,
                                     int64_t now_ms) {
  ASSIGN_OR_RETURN(const std::optional<HeldReports> held, ReadHeldReports(db));
  json answer = {{"version", nullptr},
                 {"received_at", nullptr},
                 {"age_s", nullptr},
                 {"audience", audience ? json(common::ReportAudienceName(*audience)) : json()},
                 {"reports", json::array()}};
  if (!held) return answer;
  AddHeld(answer, held->held, now_ms);
  for (const common::ReportDefinition& report : held->reports) {
    if (!audience || common::ReportIsFor(report, *audience)) {
      answer["reports"].push_back(common::ReportJson(report));
    }
  }
  return answer;
}

common::StatusOr<json> RunReport(SQLite::Database& db, const std::string& name, int64_t now_ms) {
  ASSIGN_OR_RETURN(const std::optional<HeldReports> held, ReadHeldReports(db));
  const common::ReportDefinition* report = nullptr;
  if (held) {
    for (const common::ReportDefinition& one : held->reports) {
      if (one.name == name) report = &one;
    }
  }
  if (report == nullptr) return common::NotFound("no report named " + name + " from central");
  ASSIGN_OR_RETURN(const StoreInfo info, ReadStoreInfo(db));
  ASSIGN_OR_RETURN(const common::TimeZone zone, common::TimeZone::Load(info.timezone));
  const common::KpiRequest request = common::ReportRequest(*report, zone.LocalDayOf(now_ms));
  ASSIGN_OR_RETURN(const common::KpiAnswer kpis, QueryEdgeKpis(db, request, now_ms));
  json answer = common::ReportAnswerJson(*report, kpis);
  AddHeld(answer, held->held, now_ms);
  return answer;
}

}  // namespace storepulse::edge
