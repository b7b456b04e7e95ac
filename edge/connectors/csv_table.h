// A CSV request body as the CSV connectors read it (footfallcam, csv): its rows through the one
// CSV reader (common/csv.h), a UTF-8 byte order mark skipped, and the header's columns found by
// name, trimmed and case-insensitively. Stateless.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/csv.h"
#include "common/status.h"

namespace storepulse::edge {

struct CsvTable {
  std::vector<std::string> header;   // the header row's names as sent; empty without a header
  std::vector<common::CsvRow> rows;  // the data rows, header excluded, each with its line
};

// InvalidArgument — the request is refused whole — when the body is empty or its quoting is
// broken (naming the line). A header without data rows is a table without rows.
common::StatusOr<CsvTable> ReadCsvTable(std::string_view body, char delimiter, bool has_header);

// The position in the header of each of `names`. InvalidArgument naming the first column that is
// missing and listing the header that was found ("the CSV header has no column \"ValueOut\"
// (found: ValueDateTime,ValueIn,CounterId)").
common::StatusOr<std::vector<size_t>> FindColumns(const CsvTable& table,
                                                  const std::vector<std::string>& names);

// A cell without the blanks around it.
std::string_view TrimCell(std::string_view cell);
// True when every cell of the row is blank: such a row is no record and is passed over.
bool IsBlankRow(const common::CsvRow& row);

}  // namespace storepulse::edge
