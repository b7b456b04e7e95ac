// The one mapping from a SQLite failure to a Status (STYLE rule 4: the most specific error, with
// context): every store adapter of both daemons catches SQLiteCpp's exceptions and hands them
// here, with what it was doing and the database file. Each message names the file and says what
// to do; docs/OPERATIONS.md ("Database errors") lists them for operators.
//
//   SQLITE_FULL                 ResourceExhausted "disk full: …" — the disk-full answer (HTTP 507,
//                               an error reply on ZeroMQ ingest) even when the disk guard saw room
//   SQLITE_BUSY, SQLITE_LOCKED  Unavailable: another connection holds the lock; try again
//   SQLITE_CORRUPT, _NOTADB     Internal: the file is damaged; move it aside, restore a backup
//   SQLITE_IOERR_*              Unavailable: an I/O error on the file; check the disk (an IOERR
//                               whose system error is ENOSPC is disk full, as SQLITE_FULL)
//   SQLITE_READONLY, _PERM,     Unavailable: the daemon may not write the file; fix its owner,
//   _CANTOPEN, _AUTH            mode or mount
//   SQLITE_NOMEM, _INTERRUPT,   Unavailable: try again
//   _ABORT, _SCHEMA, _PROTOCOL
//   anything else               Internal: a fault of storepulse (a misuse, a constraint), reported
//
// An exception that is not SQLite's (std::filesystem while making the data directory, a bad
// value in the meta table) is mapped too, so a catch site needs nothing else. Thread-safe.
#pragma once

#include <exception>
#include <string_view>

#include "common/status.h"

namespace SQLite {
class Database;
}

namespace storepulse::common {

// `doing` completes "cannot …": "commit events", "read the stock of SKU-1". `db_path` is the
// database file (empty or ":memory:" for a database in memory).
Status SqliteErrorStatus(const std::exception& error, std::string_view doing,
                         std::string_view db_path);
// The same, naming `db`'s file and reading the system error behind an I/O error from it.
// REQUIRES: `error` is the last failure on `db` (call it in the catch of the failing call).
// (`db` comes first: SQLite::Database converts implicitly from a file name.)
Status SqliteErrorStatus(const SQLite::Database& db, const std::exception& error,
                         std::string_view doing);
// From a result code (primary or extended), for the noexcept calls (tryExec) and sqlite3_*.
// `system_errno`: sqlite3_system_errno() when known, else 0.
Status SqliteCodeStatus(int code, std::string_view sqlite_message, std::string_view doing,
                        std::string_view db_path, int system_errno = 0);

}  // namespace storepulse::common
