#include "common/csv.h"

namespace storepulse::common {

namespace {

bool IsBlank(const CsvRow& row) { return row.fields.size() == 1 && row.fields[0].empty(); }

// True when text[i] ends a line: LF, or CR not followed by LF (old Mac line ends, which some
// spreadsheets still write; read as no line end, they made a whole file one row).
bool EndsLine(std::string_view text, size_t i) {
  return text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'));
}

}  // namespace

StatusOr<std::vector<CsvRow>> ParseCsv(std::string_view text, char delimiter) {
  std::vector<CsvRow> rows;
  CsvRow row{1, {std::string()}};
  size_t line = 1;
  size_t i = 0;
  auto end_row = [&] {
    if (!IsBlank(row)) rows.push_back(std::move(row));
    row = CsvRow{line, {std::string()}};
  };
  while (i < text.size()) {
    char c = text[i];
    if (c == '"' && row.fields.back().empty()) {  // a quoted field
      size_t start_line = line;
      ++i;
      for (;;) {
        if (i >= text.size()) {
          return InvalidArgument("line " + std::to_string(start_line) + ": unterminated quote");
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            row.fields.back() += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (EndsLine(text, i)) ++line;
        row.fields.back() += text[i++];
      }
      if (i < text.size() && text[i] != delimiter && text[i] != '\n' && text[i] != '\r') {
        return InvalidArgument("line " + std::to_string(line) + ": text after a closing quote");
      }
      continue;
    }
    const bool line_end = EndsLine(text, i);
    ++i;
    if (c == delimiter) {
      row.fields.emplace_back();
    } else if (line_end) {
      ++line;
      end_row();
    } else if (c != '\r') {
      row.fields.back() += c;
    }
  }
  end_row();
  return rows;
}

size_t CountCsvLines(std::string_view text) {
  size_t lines = 0;
  for (size_t i = 0; i < text.size(); ++i) lines += EndsLine(text, i);
  return lines + (!text.empty() && !EndsLine(text, text.size() - 1) ? 1 : 0);
}

}  // namespace storepulse::common
