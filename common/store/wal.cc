#include "common/store/wal.h"

#include <filesystem>

#include <SQLiteCpp/SQLiteCpp.h>

#include "common/log.h"
#include "common/store/sqlite_errors.h"

namespace storepulse::common {

namespace {

std::string Mib(int64_t bytes) { return std::to_string((bytes + (1 << 19)) >> 20) + " MiB"; }

}  // namespace

Status OpenWal(SQLite::Database& db, const std::string& db_path) {
  const int64_t found = WalFileBytes(db_path);
  try {
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA journal_size_limit=" + std::to_string(kWalSizeLimitBytes));
    SQLite::Statement checkpoint(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    const bool held = checkpoint.executeStep() && checkpoint.getColumn(0).getInt() != 0;
    if (found > kWalSizeLimitBytes) {
      LogWarning("the write-ahead log " + db_path + "-wal was " + Mib(found) +
                 (held ? "; another process reading the database holds it: it is checkpointed "
                         "once that reader ends"
                       : "; checkpointed into the database, it is now " +
                             Mib(WalFileBytes(db_path))));
    }
    return OkStatus();
  } catch (const std::exception& e) {
    return SqliteErrorStatus(db, e, "set up the write-ahead log");
  }
}

int64_t WalFileBytes(const std::string& db_path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(db_path + "-wal", ec);
  return ec ? 0 : static_cast<int64_t>(size);
}

}  // namespace storepulse::common
