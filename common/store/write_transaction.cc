#include "common/store/write_transaction.h"

#include <SQLiteCpp/Database.h>

#include <utility>

#include "common/store/sqlite_errors.h"

namespace storepulse::common {

StatusOr<WriteTransaction> WriteTransaction::Begin(SQLite::Database& db) {
  try {
    db.exec("BEGIN IMMEDIATE");
    return WriteTransaction(db);
  } catch (const std::exception& e) {
    return SqliteErrorStatus(db, e, "begin a write transaction");
  }
}

WriteTransaction::WriteTransaction(WriteTransaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)) {}

WriteTransaction& WriteTransaction::operator=(WriteTransaction&& other) noexcept {
  if (this != &other) {
    Rollback();
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

WriteTransaction::~WriteTransaction() { Rollback(); }

Status WriteTransaction::Commit(std::string_view doing) {
  if (db_ == nullptr) return FailedPrecondition("the write transaction has ended already");
  try {
    db_->exec("COMMIT");
    db_ = nullptr;
    return OkStatus();
  } catch (const std::exception& e) {
    // A failed COMMIT may leave the transaction open (a deferred constraint, SQLITE_BUSY) or
    // SQLite may have rolled it back already (SQLITE_FULL, SQLITE_IOERR): end it either way.
    Status status = SqliteErrorStatus(*db_, e, doing);
    Rollback();
    return status;
  }
}

void WriteTransaction::Rollback() noexcept {
  if (db_ == nullptr) return;
  // Fails harmlessly ("no transaction is active") when SQLite rolled back by itself.
  db_->tryExec("ROLLBACK");
  db_ = nullptr;
}

}  // namespace storepulse::common
