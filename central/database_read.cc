#include "central/database_read.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "central/central_store.h"
#include "common/store/read_connection.h"
#include "common/store/sqlite_errors.h"

namespace storepulse::central {

common::StatusOr<nlohmann::json> ReadCentralDatabase(
    const std::string& data_dir,
    const std::function<common::StatusOr<nlohmann::json>(SQLite::Database& db)>& read) {
  const std::string path = CentralDatabasePath(data_dir);
  try {
    SQLite::Database db = common::OpenReadConnection(path);
    RETURN_IF_ERROR(CheckReadable(db));
    return read(db);
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(e, "read the central database", path);
  }
}

}  // namespace storepulse::central
