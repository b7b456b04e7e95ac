#include "edge/connectors/csv_row_mapper.h"

#include <map>
#include <string>

#include "common/time_util.h"
#include "common/utf8.h"
#include "edge/connectors/csv_table.h"
#include "edge/connectors/event_ids.h"
#include "edge/connectors/source_values.h"

namespace storepulse::edge {
namespace {

using nlohmann::json;

// One data row read: its event-level fields, its line item (sales and returns), the key its id
// fields make, or the first reason it cannot be mapped.
struct RowValues {
  size_t record = 0;
  size_t line = 0;
  json event = json::object();
  json item = json::object();
  std::string key;
  std::string label;  // "txn 1001": names the record in the answer
  std::string error;
};

// Consecutive rows that make one event (one row, except for sales and returns).
struct Group {
  std::vector<RowValues*> rows;
  std::string error;
  size_t error_line = 0;
};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

common::StatusOr<json> Convert(const CsvMapping& mapping, const CsvFieldMapping& field,
                               std::string_view text, const ConnectorRequest& request) {
  switch (field.kind) {
    case CsvValueKind::kText:
      if (!common::IsValidUtf8(text)) {
        return common::InvalidArgument("not UTF-8 text (export the file as UTF-8)");
      }
      return json(std::string(text));
    case CsvValueKind::kInteger: {
      auto value = ParseDecimal(text, 0, mapping.decimal);
      if (!value.ok()) {
        return common::InvalidArgument(common::QuoteForMessage(text) + " is not a whole number");
      }
      return json(*value);
    }
    case CsvValueKind::kMoney: {
      const int digits = mapping.money == MoneyUnit::kMajor ? request.money_digits : 0;
      ASSIGN_OR_RETURN(int64_t value, ParseDecimal(text, digits, mapping.decimal));
      return json(value);
    }
    case CsvValueKind::kTime: {
      ASSIGN_OR_RETURN(int64_t ms, mapping.date_format.ToUtcMs(text, *request.zone));
      return json(ms);
    }
    case CsvValueKind::kBool: {
      const std::string lower = Lower(text);
      if (lower == "yes" || lower == "true" || lower == "1") return json(true);
      if (lower == "no" || lower == "false" || lower == "0") return json(false);
      return common::InvalidArgument(common::QuoteForMessage(text) + " is not yes or no");
    }
  }
  return common::Internal("unhandled value kind");
}

// How the key and the answer show one id field's value.
std::string IdPart(const CsvFieldMapping& field, const json& value) {
  if (field.kind == CsvValueKind::kTime) return common::FormatRfc3339Utc(value.get<int64_t>());
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string Escaped(std::string_view part) {
  std::string out;
  for (char c : part) {
    out += c == '%' ? "%25" : c == '/' ? "%2F" : std::string(1, c);
  }
  return out;
}

std::string Where(const CsvFieldMapping& field) {
  if (!field.from_column()) return "'" + field.field + "' (constant)";
  const std::string column =
      field.column ? common::QuoteForMessage(*field.column) : std::to_string(field.column_number);
  return "'" + field.field + "' (column " + column + ")";
}

RowValues ReadRow(const CsvMapping& mapping, const std::vector<std::optional<size_t>>& positions,
                  size_t header_cells, const common::CsvRow& row, const ConnectorRequest& request) {
  RowValues values;
  values.line = row.line;
  if (header_cells > 0 && row.fields.size() != header_cells) {
    values.error = "the row has " + std::to_string(row.fields.size()) + " cells, the header " +
                   std::to_string(header_cells);
  }
  std::map<std::string, std::string> parts;  // id field → its value as text
  for (size_t i = 0; i < mapping.fields.size(); ++i) {
    const CsvFieldMapping& field = mapping.fields[i];
    const std::optional<size_t>& at = positions[i];
    if (at && *at >= row.fields.size()) {
      if (values.error.empty()) values.error = "the row has no cell for " + Where(field);
      continue;
    }
    const std::string_view text = at ? TrimCell(row.fields[*at]) : field.constant;
    if (text.empty()) continue;  // left out: the validator names a missing required field
    parts[field.field] = std::string(text);
    auto value = Convert(mapping, field, text, request);
    if (!value.ok()) {
      if (values.error.empty()) values.error = Where(field) + ": " + value.status().message();
      continue;
    }
    parts[field.field] = IdPart(field, *value);
    (field.line_item ? values.item : values.event)[field.field] = std::move(value).value();
  }
  for (const std::string& field : mapping.id_fields) {
    values.key += (values.key.empty() ? "" : "/") + Escaped(parts[field]);
    if (field != "ts" && !parts[field].empty()) {
      values.label += (values.label.empty() ? "" : ", ") + field + " " +
                      common::EscapeForMessage(parts[field], 40);
    }
  }
  return values;
}

// Why `row` may not continue `group`'s event, if it contradicts its first row. Its time may
// differ (tills that stamp each line as it is scanned): the event's is its first row's.
std::string Contradiction(const Group& group, const RowValues& row) {
  const RowValues& first = *group.rows.front();
  for (const auto& [field, value] : row.event.items()) {
    if (field == "ts") continue;
    if (!first.event.contains(field) || first.event[field] != value) {
      return "line " + std::to_string(row.line) + " has another " + field + " than line " +
             std::to_string(first.line) + " (" + first.label + ")";
    }
  }
  for (const auto& [field, value] : first.event.items()) {
    if (field != "ts" && !row.event.contains(field)) {
      return "line " + std::to_string(row.line) + " has no " + field + ", line " +
             std::to_string(first.line) + " (" + first.label + ") has one";
    }
  }
  return "";
}

std::vector<Group> GroupRows(const CsvMapping& mapping, std::vector<RowValues>& rows) {
  std::vector<Group> groups;
  for (RowValues& row : rows) {
    const bool continues =
        mapping.has_line_items() && !groups.empty() && groups.back().rows.back()->key == row.key;
    if (!continues) groups.emplace_back();
    Group& group = groups.back();
    if (continues && group.error.empty() && row.error.empty()) {
      group.error = Contradiction(group, row);
    }
    group.rows.push_back(&row);
    if (group.error.empty() && !row.error.empty()) {
      group.error = row.error;
      group.error_line = row.line;
    }
  }
  return groups;
}

std::string SourceOf(const Group& group) {
  const size_t first = group.rows.front()->line, last = group.rows.back()->line;
  std::string source = first == last
                           ? "line " + std::to_string(first)
                           : "lines " + std::to_string(first) + "-" + std::to_string(last);
  const std::string& label = group.rows.front()->label;
  return label.empty() ? source : source + " (" + label + ")";
}

// Why `group` is rejected for sharing its id fields with another group, if it is: a sale's rows
// apart from each other (all its parts are rejected), or a row repeating an earlier one.
std::string SharedIdError(const CsvMapping& mapping, const Group& group,
                          const std::vector<const Group*>& same_key) {
  if (same_key.size() < 2) return "";
  const RowValues& first = *group.rows.front();
  if (mapping.has_line_items()) {
    const Group* other = same_key.front() != &group ? same_key.front() : same_key[1];
    return "line " + std::to_string(other->rows.front()->line) + " is of the same " + mapping.type +
           (first.label.empty() ? "" : " (" + first.label + ")") + ": the rows of one " +
           mapping.type + " must follow each other";
  }
  if (same_key.front() == &group) return "";
  return "repeats line " + std::to_string(same_key.front()->rows.front()->line) +
         " (the same id fields)";
}

}  // namespace

ConnectorOutput MapCsvRows(const CsvMapping& mapping,
                           const std::vector<std::optional<size_t>>& positions, size_t header_cells,
                           const std::vector<common::CsvRow>& rows,
                           const ConnectorRequest& request) {
  std::vector<RowValues> values;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (IsBlankRow(rows[i])) continue;
    values.push_back(ReadRow(mapping, positions, header_cells, rows[i], request));
    values.back().record = i;
  }
  std::vector<Group> groups = GroupRows(mapping, values);
  std::map<std::string, std::vector<const Group*>> by_key;
  for (const Group& group : groups) by_key[group.rows.front()->key].push_back(&group);

  ConnectorOutput out;
  for (const Group& group : groups) {
    RowValues& first = *group.rows.front();
    std::string error = group.error;
    if (!error.empty() && group.rows.size() > 1 && group.error_line > 0) {
      error = "line " + std::to_string(group.error_line) + ": " + error;
    }
    if (error.empty()) error = SharedIdError(mapping, group, by_key[first.key]);
    if (!error.empty()) {
      out.rejected.push_back({first.record, SourceOf(group), error});
      continue;
    }
    json event = std::move(first.event);  // the rows are not read again
    event["id"] = StableEventId("csv", {mapping.name, first.key});
    event["type"] = mapping.type;
    if (mapping.has_line_items()) {
      for (RowValues* row : group.rows) event["lines"].push_back(std::move(row->item));
    }
    out.events.push_back({first.record, SourceOf(group), std::move(event)});
  }
  return out;
}

}  // namespace storepulse::edge
