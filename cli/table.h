// A plain-text table for terminals: a header row, a rule, then rows, columns padded to their
// widest cell and separated by two spaces; numbers right-aligned by the caller's choice. Widths
// count UTF-8 code points, so "–" and "—" take one column. Value type; not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace storepulse::cli {

enum class Align { kLeft, kRight };

class Table {
 public:
  void AddColumn(std::string header, Align align);
  // REQUIRES: as many cells as columns (missing cells print empty, extra ones are dropped).
  void AddRow(std::vector<std::string> cells);
  size_t rows() const { return rows_.size(); }

  // The whole table, each line ending in "\n"; no trailing spaces.
  std::string Render() const;

 private:
  struct Column {
    std::string header;
    Align align;
  };
  std::vector<size_t> Widths() const;
  std::string RenderLine(const std::vector<std::string>& cells,
                         const std::vector<size_t>& widths) const;

  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// Terminal columns taken by UTF-8 text (one per code point; no wide or combining characters).
size_t DisplayWidth(std::string_view utf8);

}  // namespace storepulse::cli
