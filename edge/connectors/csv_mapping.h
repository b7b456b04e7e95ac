// A CSV mapping file: how the rows of one source's CSV export become storepulse events, for the
// `csv` connector (POST /api/v1/connectors/csv?mapping=NAME). The format, documented in full in
// docs/CONNECTORS.md#csv, is `key = value` lines with `#` comment lines: settings first (type,
// delimiter, header, decimal, date_format, money, id), then a [columns] section (event field =
// the column holding it) and a [constants] section (event field = one value for every row):
//
//   type = footfall
//   delimiter = ;
//   decimal = ,
//   date_format = %d/%m/%Y %H:%M
//   [columns]
//   ts = Date
//   sensor = Door
//   in = Entries
//   out = Exits
//   [constants]
//   period_s = 900
//
// It is read and checked once, when the edge starts; every error names the file and the line
// ("mapping counters.conf line 4: unknown field 'sensr' …"), so a bad mapping stops the edge
// rather than rejecting every row. Plain values; immutable once parsed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "edge/connectors/date_format.h"

namespace storepulse::edge {

enum class CsvValueKind {
  kText,     // as written, blanks around it trimmed
  kInteger,  // a whole number ("12", "12,0" with decimal ',')
  kMoney,    // minor units: "12,50" → 1250 (money = major), "1250" → 1250 (money = minor)
  kTime,     // by date_format, in the store's zone
  kBool,     // yes/no, true/false, 1/0
};

enum class MoneyUnit { kMajor, kMinor };

// One event field and where its value comes from.
struct CsvFieldMapping {
  std::string field;  // the SPEC §2 event field: "ts", "in", "unit_price"
  CsvValueKind kind = CsvValueKind::kText;
  bool line_item = false;             // sku, qty, unit_price, discount of a sale or return
  std::optional<std::string> column;  // the header's name for it (header = yes) …
  size_t column_number = 0;           // … or its number from 1 (header = no)
  std::string constant;               // the value, when it has no column
  int line = 0;                       // where the mapping file sets it
  bool from_column() const { return column.has_value() || column_number > 0; }
};

struct CsvMapping {
  std::string name;  // the file's name without its extension: ?mapping=NAME
  std::string file;  // the path, for messages
  std::string type;  // the event type of every row: footfall, sale, return, stock, order, feedback
  char delimiter = ',';
  bool header = true;  // the first row names the columns
  char decimal = '.';
  DateFormat date_format;               // iso by default
  MoneyUnit money = MoneyUnit::kMajor;  // `money` is required for sale and return
  std::vector<CsvFieldMapping> fields;  // in the file's order
  std::vector<std::string> id_fields;   // the fields whose values make the event id

  bool has_line_items() const { return type == "sale" || type == "return"; }
  const CsvFieldMapping* Find(std::string_view field) const;
};

// Parses and checks a mapping file's text. `file` names it in messages, `name` is the mapping's.
// InvalidArgument "mapping <file> line <n>: …" for the first error found.
common::StatusOr<CsvMapping> ParseCsvMapping(std::string_view text, const std::string& file,
                                             const std::string& name);

// Reads `path` and parses it, named after the file without its directory and extension
// ("/etc/storepulse/counters.conf" → "counters"). NotFound when it cannot be read.
common::StatusOr<CsvMapping> LoadCsvMapping(const std::string& path);

}  // namespace storepulse::edge
