// A CSV reader (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes; CRLF, LF or a
// CR alone).
// Used for the stores file, the targets file, `storepulse ingest` of CSV and the edge's CSV
// connectors. Stateless.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace storepulse::common {

struct CsvRow {
  size_t line = 0;  // 1-based line where the row starts
  std::vector<std::string> fields;
};

// Every non-blank row, the header included. InvalidArgument for an unterminated quote or text
// after a closing quote, naming the line. `delimiter` separates fields: ',' by RFC 4180, ';' or
// '\t' as spreadsheets in many locales export (where ',' is the decimal separator).
StatusOr<std::vector<CsvRow>> ParseCsv(std::string_view text, char delimiter = ',');

// The lines of `text` as ParseCsv numbers them: its line ends (LF, CRLF or a CR alone), plus a
// last line without one. 0 for an empty text.
size_t CountCsvLines(std::string_view text);

}  // namespace storepulse::common
