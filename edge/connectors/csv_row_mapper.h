// The rows of a CSV export mapped to events by a CSV mapping (csv_mapping.h), for the `csv`
// connector. Each row's cells are converted by their field's kind — whole numbers and money with
// the mapping's decimal separator, money to minor units, dates by its date_format in the store's
// zone — and a cell that cannot be converted rejects its row, naming the line, the field and the
// column. For sales and returns, consecutive rows with the same id fields are the lines of one
// event (its other fields from its first row; a later row may not contradict them); an event
// with any bad row is rejected whole, since storing part of a basket would be a wrong sale.
//
// Event ids: StableEventId("csv", {mapping name, id fields' values}) — a re-import of the same
// rows gives the same ids. Rows sharing id fields that are not one event (a repeated footfall
// interval, a sale's rows split apart) are rejected rather than answered as duplicates, which
// would hide them. Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "common/csv.h"
#include "edge/connectors/connector.h"
#include "edge/connectors/csv_mapping.h"

namespace storepulse::edge {

// `positions[i]` is the cell index of `mapping.fields[i]` in every row, nothing for a constant;
// `header_cells` the header's cell count (0 without a header). `rows` are the data rows; a
// record's index is its first row's position among them.
ConnectorOutput MapCsvRows(const CsvMapping& mapping,
                           const std::vector<std::optional<size_t>>& positions, size_t header_cells,
                           const std::vector<common::CsvRow>& rows,
                           const ConnectorRequest& request);

}  // namespace storepulse::edge
