// The CSV import format of `storepulse ingest` (docs/CLI.md): a header row naming columns after
// the JSON event fields of SPEC §2 (any subset, any order), then one row per event — except for
// sales and returns, where each row is one line item (sku, qty, unit_price, discount) and
// consecutive rows with the same id form one event. For stock rows sku/kind/qty are the stock
// fields; for orders, kind is the order kind. An empty cell leaves the field out; integer columns
// (and ts, promised) become JSON integers when the cell is an integer and strings otherwise, and
// restock becomes true/false, so the edge's validator reports any bad value. Only converts:
// every rule is checked at the edge. Rows come from common/csv.h (RFC 4180), which reads the whole
// file first. Not thread-safe.
#pragma once

#include <array>
#include <istream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cli/event_source.h"
#include "common/csv.h"
#include "common/status.h"

namespace storepulse::cli {

// Every column the header may name.
inline constexpr std::array<std::string_view, 31> kCsvColumns = {"id",
                                                                 "type",
                                                                 "ts",
                                                                 "store",
                                                                 "txn",
                                                                 "channel",
                                                                 "till",
                                                                 "employee",
                                                                 "customer",
                                                                 "original_txn",
                                                                 "original_channel",
                                                                 "reason",
                                                                 "restock",
                                                                 "sensor",
                                                                 "period_s",
                                                                 "in",
                                                                 "out",
                                                                 "sku",
                                                                 "kind",
                                                                 "qty",
                                                                 "unit_price",
                                                                 "discount",
                                                                 "order",
                                                                 "status",
                                                                 "source",
                                                                 "promised",
                                                                 "scale",
                                                                 "score",
                                                                 "staff",
                                                                 "hours",
                                                                 "alias"};

class CsvEventSource final : public EventSource {
 public:
  // Reads the file and checks its header row. InvalidArgument for an empty input, broken quoting
  // (an unterminated quote, text after a closing quote: nothing of the file is sent), or a header
  // with an unknown, repeated or unnamed column. A UTF-8 byte order mark is skipped.
  static common::StatusOr<std::unique_ptr<CsvEventSource>> Open(std::istream& in);

  // A row that cannot be converted — a cell count that differs from the header's, text that is
  // not UTF-8, or a line-item row of a sale that contradicts the sale's first row — makes its
  // event come back with `error` set, at the line of the event's first row.
  bool Next(SourceEvent* event) override;
  int64_t lines_read() const override { return lines_read_; }

 private:
  enum class CellType { kString, kInteger, kNumber, kTimestamp, kBool };
  struct Column {
    std::string name;
    CellType type = CellType::kString;
    bool line_item = false;  // sku, qty, unit_price, discount: a line of a sale or return
  };
  // The event being assembled from one or more rows.
  struct Pending {
    bool active = false;
    int64_t line = 0;
    std::string id;
    std::string type;
    std::vector<std::string> first_cells;
    nlohmann::json object;
    std::string error;
  };

  CsvEventSource(std::vector<common::CsvRow> rows, std::vector<Column> columns, int64_t lines);
  static common::StatusOr<std::vector<Column>> ParseHeader(const common::CsvRow& header);
  static nlohmann::json CellValue(CellType type, const std::string& cell);
  // The cell of `column`, or "" when the header lacks it or the cell is blank.
  std::string Cell(const common::CsvRow& record, std::string_view column) const;
  // Whether `record` is one more line item of the pending sale or return.
  bool Continues(const common::CsvRow& record) const;
  void Start(const common::CsvRow& record);
  void AddContinuation(const common::CsvRow& record);
  void AddRow(const common::CsvRow& record, bool first);
  SourceEvent Finish();  // hands the pending event over and clears it

  std::vector<common::CsvRow> rows_;  // the data rows, header excluded
  size_t next_row_ = 0;
  std::vector<Column> columns_;
  int64_t total_lines_;  // lines of the file
  int64_t lines_read_ = 0;
  Pending pending_;
};

}  // namespace storepulse::cli
