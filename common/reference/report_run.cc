#include "common/reference/report_run.h"

#include <set>
#include <string>

#include "common/kpi/kpi_catalogue.h"
#include "common/kpi/kpi_json.h"
#include "common/time_zone.h"

namespace storepulse::common {

KpiRequest ReportRequest(const ReportDefinition& report, int64_t today) {
  const auto [first, end] = ReportPeriodDays(report.period, today);
  KpiRequest request;
  request.from = TimeZone::FormatLocalDate(first);
  request.to = TimeZone::FormatLocalDate(end);
  request.by = report.by;
  return request;
}

nlohmann::json ReportAnswerJson(const ReportDefinition& report, const KpiAnswer& answer) {
  nlohmann::json result = KpiAnswerJson(answer);
  const std::set<std::string> wanted(report.kpis.begin(), report.kpis.end());
  auto keep_wanted = [&](nlohmann::json& row) {
    for (Kpi kpi : AllKpis()) {
      const std::string name(KpiName(kpi));
      if (!wanted.contains(name)) row.erase(name);
    }
  };
  for (nlohmann::json& row : result["rows"]) {
    keep_wanted(row);
    for (const char* part : {"previous", "delta", "change"}) {
      if (row.contains(part)) keep_wanted(row[part]);
    }
    if (row.contains("approximate")) {
      nlohmann::json kept = nlohmann::json::array();
      for (const nlohmann::json& kpi : row["approximate"]) {
        if (wanted.contains(kpi.get<std::string>())) kept.push_back(kpi);
      }
      if (kept.empty()) {
        row.erase("approximate");
      } else {
        row["approximate"] = std::move(kept);
      }
    }
  }
  result["report"] = ReportJson(report);
  return result;
}

}  // namespace storepulse::common
