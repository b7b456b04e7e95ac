#include "common/store/read_connection.h"

namespace storepulse::common {

SQLite::Database OpenReadConnection(const std::string& path) {
  constexpr int kBusyTimeoutMs = 5000;
  return SQLite::Database(path, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, kBusyTimeoutMs);
}

}  // namespace storepulse::common
