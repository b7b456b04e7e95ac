// The prepared statements of one connection, reused: a KPI read of the network runs the same few
// SELECTs once per store, and preparing them each time was a fifth of a network month query
// (docs/BENCHMARKS.md). Each statement is prepared at its first use and kept while the cache
// lives; use it through StatementUse (common/store/statement_use.h), which leaves it reset, so
// that no read stays open after it.
//
// Not thread-safe: one cache per connection, on the thread that owns the connection, which must
// outlive the cache.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <string>
#include <unordered_map>

namespace storepulse::common {

class StatementCache {
 public:
  explicit StatementCache(SQLite::Database& db) : db_(db) {}
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  SQLite::Database& db() const { return db_; }
  // The statement of `sql`, prepared on first use. Throws SQLite::Exception if it cannot be.
  SQLite::Statement& Get(const std::string& sql);

 private:
  SQLite::Database& db_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
};

}  // namespace storepulse::common
