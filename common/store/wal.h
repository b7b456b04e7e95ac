// The write-ahead log of a daemon's database (edge.db, central.db): the one place that sets how
// large it may stay and that reads how large it is. The size is shown by the edge's
// GET /api/v1/status and /metrics, and by central's GET /api/v1/fleet and /metrics;
// docs/OPERATIONS.md says what to expect and what to do when it grows.
//
// SQLite appends each commit to <db>-wal; its automatic checkpoint (PASSIVE, every ~4 MiB) copies
// the frames back into the database, and the next commit starts the log over once no reader still
// needs them. That keeps the log at a few MiB as long as every read ends with its statement
// (common/store/statement_use.h). Two things it does not do, done here: give the file back after a
// long reader let it grow (the file keeps its high-water size: journal_size_limit cuts it at the
// next start-over), and checkpoint the log a killed daemon left behind (a restart alone leaves it
// as large as it was).
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace SQLite {
class Database;
}

namespace storepulse::common {

// Each time the log starts over, its file is cut back to this size (PRAGMA journal_size_limit).
inline constexpr int64_t kWalSizeLimitBytes = int64_t{16} << 20;

// REQUIRES: the daemon's writer connection, before the daemon opens any reader. Puts the database
// in WAL mode with the size limit, then checkpoints what a previous run left and truncates the
// file, and logs it when that was more than the limit. A reader in another process (a backup, a
// shell) is waited for up to the connection's busy timeout; if it still holds the log, the log is
// checkpointed later, as it runs.
Status OpenWal(SQLite::Database& db, const std::string& db_path);

// The size of <db_path>-wal in bytes; 0 when there is none. Any thread.
int64_t WalFileBytes(const std::string& db_path);

}  // namespace storepulse::common
