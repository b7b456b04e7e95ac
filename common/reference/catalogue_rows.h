// The catalogue as a reference document (docs/PROTOCOL.md, "Reference documents → catalogue"):
// one row per SKU, keyed by the SKU,
//
//   {"name": "Blue mug", "category": "Kitchen", "brand": "Acme",
//    "costs": [{"from": null, "unit_cost": 450}, {"from": "2026-11-04", "unit_cost": 480}]}
//
// `costs` is the SKU's cost history in order: `from` a local date YYYY-MM-DD (null: since the
// beginning, at most once and first), `unit_cost` in minor units (null: no cost known from that
// day on). Central makes the rows from its catalogue file; the edge parses what it holds. Pure
// functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "common/reference/catalogue.h"
#include "common/reference/reference_document.h"
#include "common/status.h"

namespace storepulse::common {

DocumentRows CatalogueRows(const Catalogue& catalogue);

// InvalidArgument naming the first bad row's SKU: a row that is not such an object, a date that
// is not YYYY-MM-DD, a cost that is not a non-negative integer, steps out of order or repeated.
// `version` empty: DocumentVersion(rows). `received_ms` as Catalogue says.
StatusOr<Catalogue> CatalogueFromRows(const DocumentRows& rows, std::string version = "",
                                      int64_t received_ms = 0);

}  // namespace storepulse::common
