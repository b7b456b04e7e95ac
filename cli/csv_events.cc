#include "cli/csv_events.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>

namespace storepulse::cli {
namespace {

using nlohmann::json;

std::string_view Trim(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool ParseInteger(std::string_view text, int64_t* value) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, *value);
  return !text.empty() && ec == std::errc() && ptr == end;
}

bool HasLineItems(std::string_view type) { return type == "sale" || type == "return"; }

bool AllBlank(const std::vector<std::string>& cells) {
  return std::all_of(cells.begin(), cells.end(),
                     [](const std::string& cell) { return Trim(cell).empty(); });
}

std::string KnownColumns() {
  std::string list;
  for (std::string_view name : kCsvColumns) list += (list.empty() ? "" : ",") + std::string(name);
  return list;
}

std::string CountError(const common::CsvRow& record, size_t columns) {
  return "the row has " + std::to_string(record.fields.size()) + " cells but the header has " +
         std::to_string(columns);
}

}  // namespace

CsvEventSource::CsvEventSource(std::vector<common::CsvRow> rows, std::vector<Column> columns,
                               int64_t lines)
    : rows_(std::move(rows)), columns_(std::move(columns)), total_lines_(lines) {}

common::StatusOr<std::unique_ptr<CsvEventSource>> CsvEventSource::Open(std::istream& in) {
  std::string text(std::istreambuf_iterator<char>(in), {});
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // as spreadsheets save UTF-8
  common::StatusOr<std::vector<common::CsvRow>> rows = common::ParseCsv(text);
  if (!rows.ok()) return common::InvalidArgument("CSV: " + rows.status().message());
  if (rows->empty()) {
    return common::InvalidArgument(
        "the CSV file is empty: it must start with a header row naming its columns, e.g. "
        "id,type,ts,sku,qty,unit_price");
  }
  ASSIGN_OR_RETURN(std::vector<Column> columns, ParseHeader(rows->front()));
  rows->erase(rows->begin());
  const auto lines = static_cast<int64_t>(common::CountCsvLines(text));
  return std::unique_ptr<CsvEventSource>(
      new CsvEventSource(std::move(*rows), std::move(columns), lines));
}

common::StatusOr<std::vector<CsvEventSource::Column>> CsvEventSource::ParseHeader(
    const common::CsvRow& header) {
  std::vector<Column> columns;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    Column column{Lower(Trim(header.fields[i]))};
    const std::string where = "CSV header, column " + std::to_string(i + 1) + ": ";
    if (column.name.empty()) return common::InvalidArgument(where + "the column has no name");
    if (std::find(kCsvColumns.begin(), kCsvColumns.end(), column.name) == kCsvColumns.end()) {
      return common::InvalidArgument(where + "unknown column \"" + column.name +
                                     "\" (columns: " + KnownColumns() + ")");
    }
    for (const Column& before : columns) {
      if (before.name == column.name) {
        return common::InvalidArgument(where + "column \"" + column.name + "\" appears twice");
      }
    }
    const std::string& n = column.name;
    if (n == "ts" || n == "promised") column.type = CellType::kTimestamp;
    if (n == "period_s" || n == "in" || n == "out" || n == "qty" || n == "unit_price" ||
        n == "discount" || n == "score" || n == "staff") {
      column.type = CellType::kInteger;
    }
    if (n == "hours") column.type = CellType::kNumber;
    if (n == "restock") column.type = CellType::kBool;
    column.line_item = n == "sku" || n == "qty" || n == "unit_price" || n == "discount";
    columns.push_back(std::move(column));
  }
  return columns;
}

std::string CsvEventSource::Cell(const common::CsvRow& record, std::string_view column) const {
  for (size_t i = 0; i < columns_.size() && i < record.fields.size(); ++i) {
    if (columns_[i].name == column) return Trim(record.fields[i]).empty() ? "" : record.fields[i];
  }
  return "";
}

bool CsvEventSource::Continues(const common::CsvRow& record) const {
  if (!pending_.active || !HasLineItems(pending_.type) || pending_.id.empty()) return false;
  const std::string type = Cell(record, "type");
  return Cell(record, "id") == pending_.id && (type.empty() || type == pending_.type);
}

json CsvEventSource::CellValue(CellType type, const std::string& cell) {
  const std::string_view text = Trim(cell);
  int64_t integer = 0;
  if ((type == CellType::kInteger || type == CellType::kTimestamp) &&
      ParseInteger(text, &integer)) {
    return integer;
  }
  double number = 0;
  if (type == CellType::kNumber && !text.empty()) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error == std::errc() && end == text.data() + text.size() && std::isfinite(number)) {
      return number;
    }
  }
  if (type == CellType::kBool && Lower(text) == "true") return true;
  if (type == CellType::kBool && Lower(text) == "false") return false;
  return cell;  // the edge's validator names the field and the bad value
}

void CsvEventSource::Start(const common::CsvRow& record) {
  pending_ = Pending{};
  pending_.active = true;
  pending_.line = record.line;
  pending_.id = Cell(record, "id");
  pending_.type = Cell(record, "type");
  pending_.first_cells = record.fields;
  pending_.object = json::object();
  if (record.fields.size() != columns_.size()) {
    pending_.error = CountError(record, columns_.size());
  } else {
    AddRow(record, /*first=*/true);
  }
}

void CsvEventSource::AddContinuation(const common::CsvRow& record) {
  if (!pending_.error.empty()) return;
  const std::string where = "line " + std::to_string(record.line) + ": ";
  if (record.fields.size() != columns_.size()) {
    pending_.error = where + CountError(record, columns_.size());
  } else {
    AddRow(record, /*first=*/false);
  }
}

// Event fields come from the first row; a later row may repeat them but not change them.
void CsvEventSource::AddRow(const common::CsvRow& record, bool first) {
  const bool line_items = HasLineItems(pending_.type);
  json item = json::object();
  for (size_t i = 0; i < columns_.size(); ++i) {
    const std::string& cell = record.fields[i];
    const Column& column = columns_[i];
    if (Trim(cell).empty()) continue;
    if (line_items && column.line_item) {
      item[column.name] = CellValue(column.type, cell);
    } else if (first) {
      pending_.object[column.name] = CellValue(column.type, cell);
    } else if (cell != pending_.first_cells[i]) {
      pending_.error = "line " + std::to_string(record.line) + " continues event \"" + pending_.id +
                       "\" with a different " + column.name + " (\"" + cell +
                       "\", the first row has \"" + pending_.first_cells[i] + "\")";
      return;
    }
  }
  if (!item.empty()) pending_.object["lines"].push_back(std::move(item));
}

SourceEvent CsvEventSource::Finish() {
  SourceEvent event{pending_.line, pending_.id, "", pending_.error};
  if (event.error.empty()) {
    try {
      event.json = pending_.object.dump();
    } catch (const json::exception&) {  // invalid UTF-8 in a cell
      event.error = "the row is not valid UTF-8 text (save the file as UTF-8)";
    }
  }
  pending_ = Pending{};
  return event;
}

bool CsvEventSource::Next(SourceEvent* event) {
  while (next_row_ < rows_.size()) {
    const common::CsvRow& row = rows_[next_row_++];
    lines_read_ = static_cast<int64_t>(row.line);
    if (AllBlank(row.fields)) continue;
    if (Continues(row)) {
      AddContinuation(row);
      continue;
    }
    const bool had_pending = pending_.active;
    SourceEvent finished = had_pending ? Finish() : SourceEvent{};
    Start(row);
    if (had_pending) {
      *event = std::move(finished);
      return true;
    }
  }
  lines_read_ = total_lines_;
  if (!pending_.active) return false;
  *event = Finish();
  return true;
}

}  // namespace storepulse::cli
