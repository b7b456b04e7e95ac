// A write transaction on one SQLite connection that rolls back unless it was committed, in the
// spirit of SQLiteCpp's SQLite::Transaction but with its failures as Status values (mapped by
// common/store/sqlite_errors.h): BEGIN IMMEDIATE when made — the write lock is taken at once, so
// a busy database fails there rather than at the first write —, COMMIT by Commit(), and ROLLBACK
// whenever it ends without a successful Commit(): an early return, an error, an exception.
//
//   ASSIGN_OR_RETURN(WriteTransaction transaction, WriteTransaction::Begin(db));
//   … writes; any error returns, and the transaction rolls back …
//   return transaction.Commit();
//
// Move-only. Used on the thread that owns the connection, like the connection itself, which must
// outlive it. Transactions do not nest: one at a time per connection.
#pragma once

#include <string_view>

#include "common/status.h"

namespace SQLite {
class Database;
}

namespace storepulse::common {

class WriteTransaction {
 public:
  // BEGIN IMMEDIATE on `db`: Unavailable when another connection holds the write lock longer
  // than `db`'s busy timeout; Internal when `db` is inside a transaction already.
  static StatusOr<WriteTransaction> Begin(SQLite::Database& db);

  WriteTransaction(WriteTransaction&& other) noexcept;
  WriteTransaction& operator=(WriteTransaction&& other) noexcept;  // rolls its own back first
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  ~WriteTransaction();  // rolls back unless committed; never throws

  // Makes every write since Begin durable. On failure the transaction is rolled back at once
  // (the connection is ready for the next one) and the error says why: ResourceExhausted when
  // the disk is full, and so on. FailedPrecondition once it has ended (committed, rolled back,
  // moved from). `doing` completes the error's "cannot …" ("commit events").
  [[nodiscard]] Status Commit(std::string_view doing = "commit");
  // Forgets every write since Begin, now rather than at destruction. Does nothing once ended.
  void Rollback() noexcept;
  // Whether it is still open: neither committed nor rolled back nor moved from.
  bool active() const { return db_ != nullptr; }

 private:
  explicit WriteTransaction(SQLite::Database& db) : db_(&db) {}

  SQLite::Database* db_;  // null once ended
};

}  // namespace storepulse::common
