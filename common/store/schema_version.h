// The schema version of a daemon's database — `meta(key, value)` row `schema_version` of edge.db
// and central.db — and the upgrade of an older file in place when the daemon starts. Each database
// states its current version and the steps from the older ones (edge/edge_schema.h,
// central/central_schema.h); this reads the version and runs the steps. A file written by a newer
// storepulse is refused and left as it is: its tables may mean what this build does not know, and
// the operator may still want to run the newer version on it. docs/OPERATIONS.md, "Upgrading".
//
// Readers check too (CheckSchemaReadable): a file of another version is refused before it is
// read, not misread.
//
// UpgradeSchema is not thread-safe: call it on the daemon's writer connection before anything else
// uses it. CheckSchemaReadable is thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"

namespace SQLite {
class Database;
}

namespace storepulse::common {

// One step of a database's history: from version to_version - 1 to to_version.
struct SchemaStep {
  int to_version = 0;
  std::string what;  // what the step does, for the log: "the view pass starts after event 451"
  // Runs inside the step's write transaction (which then records to_version). An error, or a
  // thrown SQLite::Exception, rolls the whole step back.
  std::function<Status(SQLite::Database& db)> apply;
};

struct Schema {
  std::string database;  // "edge", "central": for the log and the messages
  int current_version = 1;
  std::vector<SchemaStep> steps;  // to_version 2, 3, … current_version, in that order
};

// The version recorded in `db` (the file at `path`); 0 when it has no meta table yet: a new
// database. FailedPrecondition when meta has no readable schema_version (not a storepulse file).
StatusOr<int> ReadSchemaVersion(SQLite::Database& db, const std::string& path);

// Brings the database at `path`, open on `db`, to schema.current_version:
// - new (no meta table): creates meta and records the current version; the caller then creates
//   its tables as they are at that version;
// - older: runs each later step in order, each in its own write transaction that also records its
//   version, and logs each; a step that fails leaves the file at the version before it, and the
//   error says which;
// - current: writes nothing;
// - newer: FailedPrecondition naming the file, its version, the newest this build reads and what
//   to do, having written nothing.
// REQUIRES: no transaction open on `db`.
Status UpgradeSchema(SQLite::Database& db, const std::string& path, const Schema& schema);

// Before reading the database at `path` on a connection of its own (read-only: the CLI, HTTP
// reads, the replicator): OK when it is at schema.current_version, the one this build reads;
// otherwise FailedPrecondition naming the file, its version, the one this build reads and what to
// do — a newer storepulse wrote it (upgrade), or an older one did and the daemon has not upgraded
// it yet (start the daemon once), or it has no version (not created yet, or not storepulse's).
// Cheap: a file found current (here, or by UpgradeSchema in this process) is not read again —
// a running daemon's per-request reads pay a set lookup; the CLI, one small query.
Status CheckSchemaReadable(SQLite::Database& db, const std::string& path, const Schema& schema);

}  // namespace storepulse::common
