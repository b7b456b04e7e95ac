#include "common/store/statement_cache.h"

namespace storepulse::common {

SQLite::Statement& StatementCache::Get(const std::string& sql) {
  std::unique_ptr<SQLite::Statement>& statement = statements_[sql];
  if (statement == nullptr) statement = std::make_unique<SQLite::Statement>(db_, sql);
  return *statement;
}

}  // namespace storepulse::common
