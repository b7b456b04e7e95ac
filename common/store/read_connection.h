// The connection a request, a CLI command or a KPI read opens to read a daemon's database.
//
// Read-only, and opened without SQLite's per-connection mutex (SQLITE_OPEN_NOMUTEX): Debian builds
// SQLite "serialized", so every sqlite3_step, bind and column call otherwise locks and unlocks the
// connection's mutex — a third of central's CPU in a network month query (docs/BENCHMARKS.md).
// That is safe because such a connection belongs to the one thread that opened it and is closed
// when its read ends; never hand it to another thread.
#pragma once

#include <SQLiteCpp/Database.h>

#include <string>

namespace storepulse::common {

// Throws SQLite::Exception when the file cannot be opened. Waits up to 5 s on a busy database.
SQLite::Database OpenReadConnection(const std::string& path);

}  // namespace storepulse::common
