// The catalogue file (central's `--catalogue-file`, docs/OPERATIONS.md "The catalogue file"): CSV
// with the header `sku,name,category,brand,unit_cost,valid_from`, one cost step a row:
//   sku         1–64 bytes, as the tills send it
//   name, category, brand   free text (may be empty)
//   unit_cost   minor units, a non-negative integer; empty: no cost known from valid_from on
//   valid_from  a local date YYYY-MM-DD from which the cost applies (each store's own day);
//               empty: from the beginning
// Several rows of one SKU are its cost history; its name, category and brand are those of its
// newest row (the latest valid_from). Cells are trimmed; blank lines and lines whose first cell
// starts with '#' are skipped. Central re-reads it on SIGHUP and keeps the catalogue it had when
// the new file is bad. Pure functions (LoadCatalogue reads a file); thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/reference/catalogue.h"
#include "common/status.h"

namespace storepulse::common {

// Every row is checked; InvalidArgument lists every bad line ("line 4: …; line 7: …"): a wrong
// header, a wrong number of cells, an empty or too long SKU, text that is not UTF-8, a cost that
// is not a non-negative integer, a date that is not YYYY-MM-DD, a (sku, valid_from) repeated.
// The catalogue's version is the DocumentVersion of its rows (catalogue_rows.h).
StatusOr<Catalogue> ParseCatalogueCsv(std::string_view text, int64_t now_ms);

// An empty `path` is no catalogue (nullptr). NotFound when the file cannot be read;
// ParseCatalogueCsv's errors prefixed with the path.
StatusOr<std::shared_ptr<const Catalogue>> LoadCatalogue(const std::string& path, int64_t now_ms);

}  // namespace storepulse::common
