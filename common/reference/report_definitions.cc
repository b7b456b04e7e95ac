#include "common/reference/report_definitions.h"

#include <algorithm>
#include <array>
#include <set>

#include "common/kpi/kpi_catalogue.h"
#include "common/time_zone.h"

namespace storepulse::common {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<ReportAudience, std::string_view>, 3> kAudiences = {{
    {ReportAudience::kManager, "manager"},
    {ReportAudience::kAdvisor, "advisor"},
    {ReportAudience::kOps, "ops"},
}};

constexpr std::array<std::pair<ReportPeriod, std::string_view>, 8> kPeriods = {{
    {ReportPeriod::kToday, "today"},
    {ReportPeriod::kYesterday, "yesterday"},
    {ReportPeriod::kThisWeek, "this_week"},
    {ReportPeriod::kLastWeek, "last_week"},
    {ReportPeriod::kThisMonth, "this_month"},
    {ReportPeriod::kLastMonth, "last_month"},
    {ReportPeriod::kLast7Days, "last_7_days"},
    {ReportPeriod::kLast28Days, "last_28_days"},
}};

constexpr std::array<std::pair<GroupBy, std::string_view>, 7> kGroupings = {{
    {GroupBy::kTotal, "total"},
    {GroupBy::kDay, "day"},
    {GroupBy::kHour, "hour"},
    {GroupBy::kChannel, "channel"},
    {GroupBy::kEmployee, "employee"},
    {GroupBy::kSku, "sku"},
    {GroupBy::kCategory, "category"},
}};

bool IsNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// The first local day of the month of `day`.
int64_t MonthStart(int64_t day) {
  const std::string date = TimeZone::FormatLocalDate(day);
  return *TimeZone::ParseLocalDate(date.substr(0, 8) + "01");
}

// The first local day (a Monday) of the ISO week of `day`; day 0, 1970-01-01, was a Thursday.
int64_t WeekStart(int64_t day) {
  const int64_t from_monday = ((day + 3) % 7 + 7) % 7;
  return day - from_monday;
}

StatusOr<std::vector<std::string>> Strings(const json& row, const std::string& name,
                                           const char* field) {
  if (!row.contains(field) || !row.at(field).is_array()) {
    return InvalidArgument("report " + name + ": " + field + " is missing or not a list");
  }
  std::vector<std::string> strings;
  for (const json& item : row.at(field)) {
    if (!item.is_string()) {
      return InvalidArgument("report " + name + ": " + field + " holds a non-string");
    }
    strings.push_back(item.get<std::string>());
  }
  return strings;
}

StatusOr<std::string> String(const json& row, const std::string& name, const char* field) {
  if (!row.contains(field) || !row.at(field).is_string()) {
    return InvalidArgument("report " + name + ": " + field + " is missing or not a string");
  }
  return row.at(field).get<std::string>();
}

StatusOr<ReportDefinition> ReportFromRow(const std::string& name, const json& row) {
  if (!row.is_object()) return InvalidArgument("report " + name + ": not an object");
  ReportDefinition report;
  report.name = name;
  ASSIGN_OR_RETURN(const std::vector<std::string> audience, Strings(row, name, "audience"));
  for (const std::string& text : audience) {
    ASSIGN_OR_RETURN(const ReportAudience one, ParseReportAudience(text));
    report.audience.push_back(one);
  }
  ASSIGN_OR_RETURN(report.title, String(row, name, "title"));
  ASSIGN_OR_RETURN(report.kpis, Strings(row, name, "kpis"));
  ASSIGN_OR_RETURN(const std::string by, String(row, name, "by"));
  ASSIGN_OR_RETURN(report.by, ParseReportGrouping(by));
  ASSIGN_OR_RETURN(const std::string period, String(row, name, "period"));
  ASSIGN_OR_RETURN(report.period, ParseReportPeriod(period));
  ASSIGN_OR_RETURN(report.scope, String(row, name, "scope"));
  Status checked = CheckReport(report);
  if (!checked.ok()) return InvalidArgument("report " + name + ": " + checked.message());
  return report;
}

}  // namespace

std::string_view ReportAudienceName(ReportAudience audience) {
  for (const auto& [value, name] : kAudiences) {
    if (value == audience) return name;
  }
  return "manager";
}

StatusOr<ReportAudience> ParseReportAudience(std::string_view text) {
  for (const auto& [value, name] : kAudiences) {
    if (name == text) return value;
  }
  return InvalidArgument("bad audience \"" + std::string(text) + "\" (manager, advisor or ops)");
}

std::string_view ReportPeriodName(ReportPeriod period) {
  for (const auto& [value, name] : kPeriods) {
    if (value == period) return name;
  }
  return "today";
}

StatusOr<ReportPeriod> ParseReportPeriod(std::string_view text) {
  for (const auto& [value, name] : kPeriods) {
    if (name == text) return value;
  }
  return InvalidArgument("bad period \"" + std::string(text) +
                         "\" (today, yesterday, this_week, last_week, this_month, last_month, "
                         "last_7_days or last_28_days)");
}

Status CheckReport(const ReportDefinition& report) {
  if (report.name.empty() || report.name.size() > 64 ||
      !std::all_of(report.name.begin(), report.name.end(), IsNameCharacter)) {
    return InvalidArgument("bad name \"" + report.name + "\" (1-64 of a-z, 0-9, _ and -)");
  }
  if (report.audience.empty()) return InvalidArgument("no audience (manager, advisor or ops)");
  if (std::set<ReportAudience>(report.audience.begin(), report.audience.end()).size() !=
      report.audience.size()) {
    return InvalidArgument("an audience named twice");
  }
  if (report.title.empty() || report.title.size() > 120) {
    return InvalidArgument("the title must have 1-120 characters");
  }
  if (report.kpis.empty()) return InvalidArgument("no KPI (kpis: net_sales|aov|…)");
  std::set<std::string> seen;
  for (const std::string& kpi : report.kpis) {
    if (!FindKpi(kpi)) return InvalidArgument("unknown KPI \"" + kpi + "\"");
    if (!seen.insert(kpi).second) return InvalidArgument("KPI " + kpi + " named twice");
  }
  if (std::none_of(kGroupings.begin(), kGroupings.end(),
                   [&](const auto& grouping) { return grouping.first == report.by; })) {
    return InvalidArgument(
        "by=store or by=region is not a report's grouping (the scope says "
        "whose figures)");
  }
  if (report.scope != "store" && report.scope != "region" && report.scope != "network") {
    return InvalidArgument("bad scope \"" + report.scope + "\" (store, region or network)");
  }
  return OkStatus();
}

bool ReportIsFor(const ReportDefinition& report, ReportAudience audience) {
  return std::find(report.audience.begin(), report.audience.end(), audience) !=
         report.audience.end();
}

nlohmann::json ReportJson(const ReportDefinition& report) {
  json audience = json::array();
  for (ReportAudience one : report.audience) audience.push_back(ReportAudienceName(one));
  return {{"name", report.name},
          {"audience", std::move(audience)},
          {"title", report.title},
          {"kpis", report.kpis},
          {"by", ReportGroupingName(report.by)},
          {"period", ReportPeriodName(report.period)},
          {"scope", report.scope}};
}

DocumentRows ReportsRows(const ReportList& reports) {
  DocumentRows rows;
  for (const ReportDefinition& report : reports) {
    json row = ReportJson(report);
    row.erase("name");  // the key
    rows.emplace(report.name, std::move(row));
  }
  return rows;
}

StatusOr<ReportList> ReportsFromRows(const DocumentRows& rows) {
  ReportList reports;
  for (const auto& [name, row] : rows) {
    ASSIGN_OR_RETURN(ReportDefinition report, ReportFromRow(name, row));
    reports.push_back(std::move(report));
  }
  return reports;
}

std::pair<int64_t, int64_t> ReportPeriodDays(ReportPeriod period, int64_t today) {
  switch (period) {
    case ReportPeriod::kToday:
      return {today, today + 1};
    case ReportPeriod::kYesterday:
      return {today - 1, today};
    case ReportPeriod::kThisWeek:
      return {WeekStart(today), today + 1};
    case ReportPeriod::kLastWeek:
      return {WeekStart(today) - 7, WeekStart(today)};
    case ReportPeriod::kThisMonth:
      return {MonthStart(today), today + 1};
    case ReportPeriod::kLastMonth: {
      const int64_t this_month = MonthStart(today);
      return {MonthStart(this_month - 1), this_month};
    }
    case ReportPeriod::kLast7Days:
      return {today - 6, today + 1};
    case ReportPeriod::kLast28Days:
      return {today - 27, today + 1};
  }
  return {today, today + 1};
}

std::string_view ReportGroupingName(GroupBy by) {
  for (const auto& [value, name] : kGroupings) {
    if (value == by) return name;
  }
  return "total";
}

StatusOr<GroupBy> ParseReportGrouping(std::string_view text) {
  for (const auto& [value, name] : kGroupings) {
    if (name == text) return value;
  }
  return InvalidArgument("bad grouping \"" + std::string(text) +
                         "\" (total, day, hour, channel, employee, sku or category; the scope says "
                         "whose "
                         "figures)");
}

}  // namespace storepulse::common
