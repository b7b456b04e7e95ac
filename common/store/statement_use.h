// One use of a cached statement (prepared once by a writer, run for every event): the use starts
// on a reset statement and ends, when the StatementUse goes out of scope, with the statement reset
// again — whatever happened in between (a SELECT stopped on its row, an exception).
//
// Why after and not only before: a statement left on a row is still running, and a running
// statement keeps its connection's read transaction open, past the COMMIT of the write
// transaction it ran in. In WAL mode that read pins the snapshot it began with: no checkpoint may
// copy frames past it and the WAL can never start over, so it grows with every commit, without
// bound (issue 8: 1.38 GB after 1.85 M events). Every cached statement of the stores is used
// through this class; a statement made for one call (a local SQLite::Statement) ends its read
// when it is destroyed and needs nothing.
//
// Not thread-safe: one use at a time, on the thread that owns the connection.
#pragma once

#include <SQLiteCpp/Statement.h>

namespace storepulse::common {

class StatementUse {
 public:
  explicit StatementUse(SQLite::Statement& statement) : statement_(statement) {
    statement_.tryReset();  // a no-op after a previous use; its error code is not ours
  }
  ~StatementUse() { statement_.tryReset(); }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;

  SQLite::Statement* operator->() const { return &statement_; }
  SQLite::Statement& operator*() const { return statement_; }

 private:
  SQLite::Statement& statement_;
};

}  // namespace storepulse::common
