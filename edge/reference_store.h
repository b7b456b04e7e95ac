// The reference documents the edge holds (common/reference/reference_document.h), in edge.db:
// what it last received from central, kept across restarts and used while central is away
// (offline-first). Tables `reference_rows(kind, key, value)` (the row as JSON text) and
// `reference_versions(kind, version, received_ms)`.
//
// Each store is one write transaction: a document is either wholly the old version or wholly the
// new one. A delta is taken only onto the version it was made from, and its result must have the
// version central named — anything else is refused and changes nothing, and the edge's heartbeat
// then still names the version it holds, so central sends a snapshot.
//
// Not thread-safe per connection: writes on the edge's writer, reads on any read connection.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/reference/reference_document.h"
#include "common/status.h"

namespace SQLite {
class Database;
}

namespace storepulse::edge {

// CREATE TABLE IF NOT EXISTS for both tables.
void CreateReferenceTables(SQLite::Database& db);

struct HeldDocument {
  std::string version;
  int64_t received_ms = 0;  // when the edge stored it (edge clock): its age on the pages
  common::DocumentRows rows;
};

// kind → version of every document held.
std::map<std::string, std::string> ReadHeldVersions(SQLite::Database& db);

// kind → version and received_ms of every document held, without the rows (the status).
struct HeldVersionTime {
  std::string version;
  int64_t received_ms = 0;
};
std::map<std::string, HeldVersionTime> ReadHeldVersionTimes(SQLite::Database& db);

// The document of `kind`, or none when the edge never received one.
common::StatusOr<std::optional<HeldDocument>> ReadHeldDocument(SQLite::Database& db,
                                                               std::string_view kind);

// Replaces whatever is held of `kind`. InvalidArgument when `version` is not the rows' version.
// Storing the version already held writes nothing (a snapshot sent twice is applied once).
common::Status StoreSnapshot(SQLite::Database& db, std::string_view kind,
                             const std::string& version, const common::DocumentRows& rows,
                             int64_t now_ms);

// FailedPrecondition when the edge does not hold `base_version` of `kind`; Internal when the
// result's version is not `version`; either way nothing changes. Already at `version`: nothing
// to do.
common::Status StoreDelta(SQLite::Database& db, std::string_view kind,
                          const std::string& base_version, const std::string& version,
                          const common::DocumentDelta& delta, int64_t now_ms);

}  // namespace storepulse::edge
