#include "edge/connectors/axis_csv_export.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "common/csv.h"
#include "edge/connectors/event_ids.h"
#include "edge/connectors/footfall_event.h"
#include "edge/connectors/source_values.h"

namespace storepulse::edge {
namespace {

// A header cell as a column name: trimmed, lower case.
std::string ColumnName(std::string_view cell) {
  const size_t begin = cell.find_first_not_of(" \t");
  const size_t end = cell.find_last_not_of(" \t");
  std::string name(begin == std::string_view::npos ? "" : cell.substr(begin, end - begin + 1));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

struct Columns {
  size_t start, end, in, out;
  std::optional<size_t> serial;
};

common::StatusOr<Columns> FindColumns(const std::vector<std::string>& header) {
  std::map<std::string, size_t> by_name;
  for (size_t i = 0; i < header.size(); ++i) by_name.emplace(ColumnName(header[i]), i);
  auto column = [&](const char* name) -> std::optional<size_t> {
    auto it = by_name.find(name);
    return it == by_name.end() ? std::nullopt : std::optional<size_t>(it->second);
  };
  auto start = column("start"), end = column("end"), in = column("in"), out = column("out");
  if (!start || !end || !in || !out) {
    std::string found;
    for (const std::string& cell : header) found += (found.empty() ? "" : ",") + cell;
    return common::InvalidArgument(
        "not an Axis CSV export: its header must name the columns start, end, in and out "
        "(found: " +
        found.substr(0, 120) + ")");
  }
  return Columns{*start, *end, *in, *out, column("serial")};
}

common::StatusOr<int64_t> Count(const std::string& text, const char* column) {
  auto count = ParseDecimal(text, 0);
  if (!count.ok() || *count < 0) {
    return common::InvalidArgument(std::string("'") + column + "' must be an integer >= 0: \"" +
                                   text.substr(0, 40) + "\"");
  }
  return *count;
}

// One row's event; an error says why the row cannot be mapped.
common::StatusOr<nlohmann::json> RowEvent(const common::CsvRow& row, const Columns& columns,
                                          const std::string& sensor,
                                          const ConnectorRequest& request,
                                          const std::set<std::string>& swapped) {
  const size_t needed = std::max({columns.start, columns.end, columns.in, columns.out}) + 1;
  if (row.fields.size() < needed) {
    return common::InvalidArgument("the row has " + std::to_string(row.fields.size()) +
                                   " fields, fewer than the header's columns");
  }
  if (sensor.empty()) return common::InvalidArgument("the row's 'serial' is empty");
  auto start = ParseSourceTime(row.fields[columns.start], *request.zone);
  if (!start.ok()) return common::InvalidArgument("'start': " + start.status().message());
  auto end = ParseSourceTime(row.fields[columns.end], *request.zone);
  if (!end.ok()) return common::InvalidArgument("'end': " + end.status().message());
  ASSIGN_OR_RETURN(int64_t period_s, IntervalSeconds(*start, *end));
  ASSIGN_OR_RETURN(int64_t in, Count(row.fields[columns.in], "in"));
  ASSIGN_OR_RETURN(int64_t out, Count(row.fields[columns.out], "out"));
  const std::string id = StableEventId("axis", {"csv", sensor, std::to_string(*start)});
  return FootfallEvent(id, sensor, *start, period_s, Oriented({in, out}, swapped, sensor));
}

}  // namespace

common::StatusOr<ConnectorOutput> MapAxisCsvExport(std::string_view body,
                                                   const ConnectorRequest& request,
                                                   const std::set<std::string>& swapped) {
  ASSIGN_OR_RETURN(std::vector<common::CsvRow> rows, common::ParseCsv(body));
  if (rows.empty()) return common::InvalidArgument("the CSV export is empty");
  ASSIGN_OR_RETURN(Columns columns, FindColumns(rows[0].fields));
  auto param = request.params.find("sensor");
  const std::string counter = param == request.params.end() ? "" : param->second;
  RETURN_IF_ERROR(CheckTextLength("?sensor=", counter));  // in every row's event
  if (!columns.serial && counter.empty()) {
    return common::InvalidArgument(
        "the CSV export does not name its counter: post it to "
        "/api/v1/connectors/axis?sensor=<the counter's serial number>");
  }
  ConnectorOutput output;
  for (size_t i = 1; i < rows.size(); ++i) {
    const common::CsvRow& row = rows[i];
    std::string sensor = counter;
    if (columns.serial && *columns.serial < row.fields.size() &&
        !row.fields[*columns.serial].empty()) {
      sensor = row.fields[*columns.serial];
    }
    std::string source = "line " + std::to_string(row.line);
    if (!sensor.empty()) source += " (counter " + sensor + ")";
    auto event = RowEvent(row, columns, sensor, request, swapped);
    if (!event.ok()) {
      output.rejected.push_back({i - 1, source, event.status().message()});
      continue;
    }
    output.events.push_back({i - 1, source, std::move(event).value()});
  }
  return output;
}

}  // namespace storepulse::edge
