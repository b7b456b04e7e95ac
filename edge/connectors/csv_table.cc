#include "edge/connectors/csv_table.h"

#include <algorithm>

#include "common/utf8.h"

namespace storepulse::edge {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string FoundHeader(const std::vector<std::string>& header) {
  std::string joined;
  for (const std::string& name : header) joined += (joined.empty() ? "" : ",") + name;
  return common::EscapeForMessage(joined, 200);
}

}  // namespace

std::string_view TrimCell(std::string_view cell) {
  const size_t first = cell.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return cell.substr(first, cell.find_last_not_of(" \t") - first + 1);
}

bool IsBlankRow(const common::CsvRow& row) {
  return std::all_of(row.fields.begin(), row.fields.end(),
                     [](const std::string& cell) { return TrimCell(cell).empty(); });
}

common::StatusOr<CsvTable> ReadCsvTable(std::string_view body, char delimiter, bool has_header) {
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);  // as spreadsheets save UTF-8
  auto rows = common::ParseCsv(body, delimiter);
  if (!rows.ok()) return common::InvalidArgument("CSV: " + rows.status().message());
  CsvTable table;
  table.rows = std::move(rows).value();
  if (table.rows.empty()) return common::InvalidArgument("the CSV body is empty");
  if (has_header) {
    table.header = std::move(table.rows.front().fields);
    table.rows.erase(table.rows.begin());
  }
  return table;
}

common::StatusOr<std::vector<size_t>> FindColumns(const CsvTable& table,
                                                  const std::vector<std::string>& names) {
  std::vector<size_t> positions;
  for (const std::string& name : names) {
    const std::string wanted = Lower(TrimCell(name));
    auto it = std::find_if(table.header.begin(), table.header.end(),
                           [&](const std::string& h) { return Lower(TrimCell(h)) == wanted; });
    if (it == table.header.end()) {
      return common::InvalidArgument("the CSV header has no column " +
                                     common::QuoteForMessage(name, 60) +
                                     " (found: " + FoundHeader(table.header) + ")");
    }
    positions.push_back(static_cast<size_t>(it - table.header.begin()));
  }
  return positions;
}

}  // namespace storepulse::edge
