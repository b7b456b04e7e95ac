// The `reports` reference document (docs/PROTOCOL.md, "Reference documents → reports"): the named
// views head office defines once in central's reports file (central/reports_file.h) and every
// store's page, API and CLI offer — which KPIs, grouped how, over which period, for which
// audience. One row per report, keyed by its name:
//   {"audience":["manager",…], "title":…, "kpis":["net_sales",…], "by":"total", "period":"today",
//    "scope":"store"}
// Running one is common/reference/report_run.h.
// Both ends check a definition with the same rules (CheckReport), so an edge refuses a row an
// older or newer central would not write. At the edge a report always runs over the store itself;
// `scope` (store | region | network) says where head office means it to run at central.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/kpi/kpi_answer.h"
#include "common/reference/reference_document.h"
#include "common/status.h"

namespace storepulse::common {

enum class ReportAudience { kManager, kAdvisor, kOps };

// The period of a report, in the store's local calendar: weeks run Monday to Sunday, and the
// current week or month runs to the end of today.
enum class ReportPeriod {
  kToday,
  kYesterday,
  kThisWeek,
  kLastWeek,
  kThisMonth,
  kLastMonth,
  kLast7Days,   // the 7 days ending with today
  kLast28Days,  // the 28 days ending with today
};

struct ReportDefinition {
  std::string name;  // 1-64 of a-z 0-9 _ -: the key, the URL and the CLI argument
  std::vector<ReportAudience> audience;  // not empty, no repeats
  std::string title;                     // for people; 1-120 characters
  std::vector<std::string> kpis;         // KPI names of the catalogue, not empty, no repeats
  GroupBy by = GroupBy::kTotal;          // any grouping but store and region
  ReportPeriod period = ReportPeriod::kToday;
  std::string scope = "store";  // store | region | network
  bool operator==(const ReportDefinition&) const = default;
};

using ReportList = std::vector<ReportDefinition>;  // sorted by name once read from rows

std::string_view ReportAudienceName(ReportAudience audience);  // "manager", "advisor", "ops"
StatusOr<ReportAudience> ParseReportAudience(std::string_view text);
std::string_view ReportPeriodName(ReportPeriod period);  // "today", "this_week", "last_7_days", …
StatusOr<ReportPeriod> ParseReportPeriod(std::string_view text);

// Whether `report` may be published: InvalidArgument naming the first field that is wrong.
Status CheckReport(const ReportDefinition& report);

// Whether `report` is offered to `audience`.
bool ReportIsFor(const ReportDefinition& report, ReportAudience audience);

DocumentRows ReportsRows(const ReportList& reports);

// InvalidArgument naming the report and field that is wrong (CheckReport's rules).
StatusOr<ReportList> ReportsFromRows(const DocumentRows& rows);

// A report's definition as the API shows it (its row, with its name).
nlohmann::json ReportJson(const ReportDefinition& report);

// The local days [first, end) of `period` for a store whose local today is `today` (day numbers
// of common/time_zone.h).
std::pair<int64_t, int64_t> ReportPeriodDays(ReportPeriod period, int64_t today);

// The groupings a report may have: total, day, hour, channel, employee, sku.
std::string_view ReportGroupingName(GroupBy by);
StatusOr<GroupBy> ParseReportGrouping(std::string_view text);

}  // namespace storepulse::common
