#include "central/reports_file.h"

#include <fstream>
#include <map>
#include <sstream>

#include "common/csv.h"

namespace storepulse::central {
namespace {

constexpr const char* kHeader = "name,audience,title,kpis,by,period,scope";

std::string Trim(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// "a|b|c" → the trimmed parts; an empty cell is no part.
std::vector<std::string> SplitBars(const std::string& cell) {
  std::vector<std::string> parts;
  if (Trim(cell).empty()) return parts;
  size_t start = 0;
  while (true) {
    const size_t bar = cell.find('|', start);
    parts.push_back(Trim(cell.substr(start, bar - start)));
    if (bar == std::string::npos) return parts;
    start = bar + 1;
  }
}

common::StatusOr<common::ReportDefinition> ParseRow(const common::CsvRow& row) {
  if (row.fields.size() != 7) {
    return common::InvalidArgument("expected 7 cells (" + std::string(kHeader) + "), got " +
                                   std::to_string(row.fields.size()));
  }
  common::ReportDefinition report;
  report.name = Trim(row.fields[0]);
  for (const std::string& audience : SplitBars(row.fields[1])) {
    ASSIGN_OR_RETURN(const common::ReportAudience one, common::ParseReportAudience(audience));
    report.audience.push_back(one);
  }
  report.title = Trim(row.fields[2]);
  report.kpis = SplitBars(row.fields[3]);
  const std::string by = Trim(row.fields[4]);
  if (!by.empty()) {
    ASSIGN_OR_RETURN(report.by, common::ParseReportGrouping(by));
  }
  ASSIGN_OR_RETURN(report.period, common::ParseReportPeriod(Trim(row.fields[5])));
  const std::string scope = Trim(row.fields[6]);
  if (!scope.empty()) report.scope = scope;
  RETURN_IF_ERROR(common::CheckReport(report));
  return report;
}

bool IsComment(const common::CsvRow& row) { return Trim(row.fields[0]).starts_with("#"); }

common::Status CheckHeader(const std::vector<common::CsvRow>& rows, size_t* first) {
  *first = 0;
  while (*first < rows.size() && IsComment(rows[*first])) ++*first;
  std::vector<std::string> header;
  if (*first < rows.size()) {
    for (const std::string& cell : rows[*first].fields) header.push_back(Trim(cell));
  }
  if (header !=
      std::vector<std::string>{"name", "audience", "title", "kpis", "by", "period", "scope"}) {
    return common::InvalidArgument(std::string("the first line must be the header ") + kHeader);
  }
  ++*first;
  return common::OkStatus();
}

}  // namespace

common::StatusOr<common::ReportList> ParseReports(std::string_view text) {
  ASSIGN_OR_RETURN(const std::vector<common::CsvRow> rows, common::ParseCsv(text));
  size_t first = 0;
  RETURN_IF_ERROR(CheckHeader(rows, &first));
  common::ReportList reports;
  std::string errors;
  std::map<std::string, size_t> seen;  // name → line
  for (size_t i = first; i < rows.size(); ++i) {
    if (IsComment(rows[i])) continue;
    common::StatusOr<common::ReportDefinition> report = ParseRow(rows[i]);
    common::Status status = report.status();
    if (report.ok()) {
      auto [it, added] = seen.emplace(report->name, rows[i].line);
      if (!added) {
        status = common::InvalidArgument("a second report named " + report->name +
                                         " (first on line " + std::to_string(it->second) + ")");
      }
    }
    if (!status.ok()) {
      errors += (errors.empty() ? "" : "; ") +
                ("line " + std::to_string(rows[i].line) + ": " + status.message());
    } else {
      reports.push_back(std::move(report).value());
    }
  }
  if (!errors.empty()) return common::InvalidArgument(errors);
  return reports;
}

common::StatusOr<std::shared_ptr<const common::ReportList>> LoadReports(const std::string& path) {
  if (path.empty()) return std::make_shared<const common::ReportList>();
  std::ifstream in(path);
  if (!in) return common::NotFound("cannot read the reports file " + path);
  std::stringstream text;
  text << in.rdbuf();
  common::StatusOr<common::ReportList> reports = ParseReports(text.str());
  if (!reports.ok()) return common::InvalidArgument(path + ": " + reports.status().message());
  return std::make_shared<const common::ReportList>(std::move(reports).value());
}

}  // namespace storepulse::central
