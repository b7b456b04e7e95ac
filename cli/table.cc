#include "cli/table.h"

#include <algorithm>

namespace storepulse::cli {

size_t DisplayWidth(std::string_view utf8) {
  size_t width = 0;
  for (const char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;  // skip continuation bytes
  }
  return width;
}

void Table::AddColumn(std::string header, Align align) {
  columns_.push_back({std::move(header), align});
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

std::vector<size_t> Table::Widths() const {
  std::vector<size_t> widths;
  for (const Column& column : columns_) widths.push_back(DisplayWidth(column.header));
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  return widths;
}

std::string Table::RenderLine(const std::vector<std::string>& cells,
                              const std::vector<size_t>& widths) const {
  std::string line;
  for (size_t i = 0; i < columns_.size(); ++i) {
    const std::string& cell = i < cells.size() ? cells[i] : std::string();
    const std::string padding(widths[i] - DisplayWidth(cell), ' ');
    if (i > 0) line += "  ";
    line += columns_[i].align == Align::kRight ? padding + cell : cell + padding;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line + "\n";
}

std::string Table::Render() const {
  const std::vector<size_t> widths = Widths();
  std::vector<std::string> headers;
  std::vector<std::string> rules;
  for (size_t i = 0; i < columns_.size(); ++i) {
    headers.push_back(columns_[i].header);
    std::string rule;
    for (size_t w = 0; w < widths[i]; ++w) rule += "─";
    rules.push_back(std::move(rule));
  }
  std::string out = RenderLine(headers, widths) + RenderLine(rules, widths);
  for (const auto& row : rows_) out += RenderLine(row, widths);
  return out;
}

}  // namespace storepulse::cli
