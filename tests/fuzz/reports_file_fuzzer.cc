// Fuzzes central's reports file (central/reports_file.h: ParseReports), read at start and on
// SIGHUP. Asserts, for a file it reads:
//   - every report passes the rules an edge checks it with (common::CheckReport), and no name
//     appears twice;
//   - the reports as a document (ReportsRows) read back to the same reports (ReportsFromRows),
//     which is what every edge does with them;
//   - the reports written back as CSV (every cell quoted) read back to the same reports.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "central/reports_file.h"
#include "tests/fuzz/fuzz_check.h"

namespace central = storepulse::central;
namespace common = storepulse::common;

namespace {

std::string Quoted(std::string_view cell) {
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string Joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : "|") + part;
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto reports = central::ParseReports(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!reports.ok()) return 0;
  std::set<std::string> names;
  std::string written = "name,audience,title,kpis,by,period,scope\n";
  for (const common::ReportDefinition& report : *reports) {
    FUZZ_CHECK(common::CheckReport(report).ok(), "report " + report.name + " breaks the rules");
    FUZZ_CHECK(names.insert(report.name).second, "a repeated report: " + report.name);
    std::vector<std::string> audience;
    for (common::ReportAudience one : report.audience) {
      audience.emplace_back(common::ReportAudienceName(one));
    }
    written += Quoted(report.name) + "," + Quoted(Joined(audience)) + "," + Quoted(report.title) +
               "," + Quoted(Joined(report.kpis)) + "," +
               std::string(common::ReportGroupingName(report.by)) + "," +
               std::string(common::ReportPeriodName(report.period)) + "," + report.scope + "\n";
  }
  auto rows = common::ReportsFromRows(common::ReportsRows(*reports));
  FUZZ_CHECK(rows.ok(), "the document's rows refused: " + rows.status().message());
  std::set<std::string> from_rows;
  for (const common::ReportDefinition& report : *rows) {
    from_rows.insert(report.name);
    for (const common::ReportDefinition& original : *reports) {
      if (original.name == report.name) {
        FUZZ_CHECK(original == report, "report " + report.name + " differs as a document");
      }
    }
  }
  FUZZ_CHECK(from_rows == names, "the document holds other reports than the file");
  auto again = central::ParseReports(written);
  FUZZ_CHECK(again.ok(), "written reports refused: " + again.status().message());
  FUZZ_CHECK(*again == *reports, "the reports differ after writing back: " + written);
  return 0;
}
