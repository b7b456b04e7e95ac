#include "cli/compare_table.h"

#include <algorithm>

#include "cli/kpi_format.h"
#include "cli/number_format.h"
#include "cli/table.h"
#include "common/kpi/kpi_catalogue.h"
#include "common/time_zone.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

const json& Field(const json& object, std::string_view name) {
  static const json kMissing;
  auto it = object.find(name);
  return it == object.end() ? kMissing : *it;
}

std::string Signed(const std::string& text) {
  return text.empty() || text[0] == '-' || text == "–" ? text : "+" + text;
}

// "2026-11-15" or "2026-11-15 to 2026-11-21" for dates (`to` excluded), instants as given.
std::string ComparedPeriod(const json& compare) {
  const json& from = Field(compare, "from");
  const json& to = Field(compare, "to");
  const std::string f = from.is_string() ? from.get<std::string>() : "";
  const std::string t = to.is_string() ? to.get<std::string>() : "";
  auto from_day = common::TimeZone::ParseLocalDate(f);
  auto to_day = common::TimeZone::ParseLocalDate(t);
  if (from_day.ok() && to_day.ok()) {
    if (*to_day == *from_day + 1) return f;
    return f + " to " + common::TimeZone::FormatLocalDate(*to_day - 1);
  }
  return f + (t.empty() ? "" : " to " + t);
}

std::string ComparedLine(const json& answer) {
  const json& compare = Field(answer, "compare");
  const std::string with = Field(compare, "with").is_string()
                               ? Field(compare, "with").get<std::string>()
                               : "an earlier period";
  std::string text = with == "previous_week"   ? "the same days a week earlier"
                     : with == "previous_year" ? "the same weekdays 52 weeks earlier"
                                               : with;
  const std::string period = ComparedPeriod(compare);
  return "Compared with " + text + (period.empty() ? "" : ": " + period) + "\n";
}

common::Status CheckColumns(const std::vector<std::string>& columns, const json& rows) {
  for (const std::string& column : columns) {
    const bool known = common::FindKpi(column).has_value();
    const bool in_rows = std::any_of(rows.begin(), rows.end(),
                                     [&](const json& row) { return row.contains(column); });
    if (!known && !in_rows) {
      return common::InvalidArgument("--columns: no KPI named \"" + column + "\"");
    }
  }
  return common::OkStatus();
}

std::vector<std::string> RowKpis(const json& row) {
  std::vector<std::string> names;
  for (const common::KpiInfo& info : common::kKpiCatalogue) {
    if (row.contains(info.name)) names.emplace_back(info.name);
  }
  for (const auto& [name, value] : row.items()) {
    const bool shown = std::find(names.begin(), names.end(), name) != names.end();
    if (!shown && Field(row, "change").contains(name)) names.push_back(name);
  }
  return names;
}

std::string TotalTable(const json& row, const std::vector<std::string>& chosen) {
  Table table;
  table.AddColumn("KPI", Align::kLeft);
  table.AddColumn("Value", Align::kRight);
  table.AddColumn("Previous", Align::kRight);
  table.AddColumn("Change", Align::kRight);
  for (const std::string& name : chosen.empty() ? RowKpis(row) : chosen) {
    table.AddRow({KpiLabel(name), FormatKpi(name, Field(row, name)),
                  FormatKpi(name, Field(Field(row, "previous"), name)), FormatChange(name, row)});
  }
  return table.Render();
}

std::string WideTable(const json& answer, const std::vector<std::string>& chosen) {
  std::vector<std::string> columns = chosen;
  if (columns.empty()) columns = KpiNames(kCompareKpis);
  Table table;
  table.AddColumn("Key", Align::kLeft);
  for (const std::string& name : columns) {
    table.AddColumn(KpiLabel(name), Align::kRight);
    table.AddColumn("Change", Align::kRight);
  }
  for (const json& row : answer["rows"]) {
    const json& key = Field(row, "key");
    std::vector<std::string> cells = {key.is_string() ? key.get<std::string>() : key.dump()};
    for (const std::string& name : columns) {
      cells.push_back(FormatKpi(name, Field(row, name)));
      cells.push_back(FormatChange(name, row));
    }
    table.AddRow(std::move(cells));
  }
  return table.Render();
}

}  // namespace

bool HasComparison(const json& answer) {
  return answer.is_object() && answer.contains("compare") && answer.contains("rows") &&
         answer["rows"].is_array();
}

std::string FormatChange(std::string_view name, const json& row) {
  const std::optional<common::KpiUnit> unit = UnitOfKpi(name);
  const bool rate = unit == common::KpiUnit::kRate;
  if (rate || unit == common::KpiUnit::kScore || unit == common::KpiUnit::kPercent) {
    const json& delta = Field(Field(row, "delta"), name);
    if (!delta.is_number()) return "–";
    const double points = delta.get<double>() * (rate ? 100 : 1);
    return Signed(FormatDecimal(points, 1)) + " pt";
  }
  const json& change = Field(Field(row, "change"), name);
  return change.is_number() ? Signed(FormatPercent(change.get<double>())) : "–";
}

common::StatusOr<std::string> RenderComparison(const json& answer, const KpiView& view) {
  if (!HasComparison(answer)) {
    return common::Internal("the KPI answer has no comparison: " + answer.dump().substr(0, 200));
  }
  const json& rows = answer["rows"];
  RETURN_IF_ERROR(CheckColumns(view.columns, rows));
  std::string out = KpiHeading(answer, view.timezone) + "\n" + ComparedLine(answer) + "\n";
  if (rows.empty()) return out + "No data for this period.\n";
  const json& by = Field(answer, "by");
  const bool total = (by.is_null() || by == "total") && rows.size() == 1;
  return out + (total ? TotalTable(rows[0], view.columns) : WideTable(answer, view.columns));
}

}  // namespace storepulse::cli
