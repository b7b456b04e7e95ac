// A reference document: what central sends down to its edges (docs/PROTOCOL.md, "Reference
// documents") — the product catalogue, a store's targets, the network's context, the reports head
// office defines. Every kind has the same shape, a map key → row (a JSON value), so one mechanism
// carries them all: a whole snapshot when an edge holds nothing central still knows, the changed
// rows (a delta) after.
//
// A document's version is a digest of its content, not a counter: two centrals sharing one database
// (failover), a restarted central and a central restored from a backup all name the same content
// with the same version, so an edge never fetches again what it already holds, and an edge whose
// version central does not know (newer than a restored central's) simply gets a snapshot.
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace storepulse::common {

// The kinds of document, as they appear on the wire and in the edge's database.
inline constexpr std::string_view kCatalogueDocument = "catalogue";  // every store: sku → product
inline constexpr std::string_view kTargetsDocument = "targets";      // per store: its targets
inline constexpr std::string_view kContextDocument = "context";      // per store: region, network
inline constexpr std::string_view kReportsDocument = "reports";      // every store: named views

using DocumentRows = std::map<std::string, nlohmann::json>;  // key → row, sorted by key

// 16 hex digits of SHA-256 over the rows in key order, each as key NUL dump(row) NUL.
// nlohmann::json keeps object members sorted, so equal content gives an equal version.
std::string DocumentVersion(const DocumentRows& rows);

// What turns one version into another: rows added or changed, keys removed.
struct DocumentDelta {
  DocumentRows upserts;
  std::vector<std::string> removals;  // sorted
};

DocumentDelta DiffDocuments(const DocumentRows& from, const DocumentRows& to);

// `rows` becomes what DiffDocuments' `to` was, when it was `from`.
void ApplyDocumentDelta(DocumentRows& rows, const DocumentDelta& delta);

}  // namespace storepulse::common
