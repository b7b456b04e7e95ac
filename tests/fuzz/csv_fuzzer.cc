// Fuzzes the CSV reader (common/csv.h: stores file, targets file, `storepulse ingest` of CSV and
// the edge's CSV connectors). The first byte picks the delimiter (',', ';' or tab), the rest is
// the text. Asserts, for text it reads:
//   - no row is blank and the rows' line numbers never go down;
//   - the rows written back (every field quoted, quotes doubled) read back to the same fields.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/csv.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

std::string Quoted(const std::string& field) {
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  constexpr char kDelimiters[] = {',', ';', '\t'};
  const char delimiter = kDelimiters[data[0] % 3];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto rows = storepulse::common::ParseCsv(text, delimiter);
  if (!rows.ok()) return 0;
  std::string written;
  size_t last_line = 0;
  for (const auto& row : *rows) {
    FUZZ_CHECK(!(row.fields.size() == 1 && row.fields[0].empty()), "a blank row was returned");
    FUZZ_CHECK(row.line >= last_line && row.line >= 1, "line numbers go down");
    last_line = row.line;
    for (size_t i = 0; i < row.fields.size(); ++i) {
      if (i > 0) written += delimiter;
      written += Quoted(row.fields[i]);
    }
    written += '\n';
  }
  auto again = storepulse::common::ParseCsv(written, delimiter);
  FUZZ_CHECK(again.ok(), "written rows refused: " + again.status().message());
  FUZZ_CHECK(again->size() == rows->size(), "row count differs after writing back");
  for (size_t i = 0; i < rows->size(); ++i) {
    FUZZ_CHECK((*again)[i].fields == (*rows)[i].fields,
               "row " + std::to_string(i) + " differs after writing back");
  }
  return 0;
}
