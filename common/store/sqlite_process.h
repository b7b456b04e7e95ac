// Process-wide SQLite settings, made once at the start of main() before any connection opens.
#pragma once

namespace storepulse::common {

// Turns off SQLite's memory statistics (SQLITE_CONFIG_MEMSTATUS): with them on, as Debian builds
// it, every sqlite3_malloc and sqlite3_free takes one process-wide mutex — 2–4 % of the daemons'
// CPU under load, in the view pass and the writers. Nothing here reads those statistics
// (sqlite3_memory_used, a soft heap limit). Must run before SQLite is first used; later it
// changes nothing (SQLite refuses it, harmlessly).
void ConfigureSqliteForProcess();

}  // namespace storepulse::common
