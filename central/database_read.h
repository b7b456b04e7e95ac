// One read of central.db for a request (a KPI answer, targets, the network stock view): on a read
// connection of its own (common/store/read_connection.h), after refusing a file of another schema
// version (CheckReadable) rather than misreading it; an error, returned or thrown by SQLite, is a
// Status naming the file (common/store/sqlite_errors.h). Thread-safe.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace SQLite {
class Database;
}

namespace storepulse::central {

common::StatusOr<nlohmann::json> ReadCentralDatabase(
    const std::string& data_dir,
    const std::function<common::StatusOr<nlohmann::json>(SQLite::Database& db)>& read);

}  // namespace storepulse::central
