// Where central keeps its log of record, from `--database`: central.db (SQLite, the embedded
// default: `sqlite:///var/lib/storepulse/central/central.db`, or nothing for central.db in
// --data-dir) or PostgreSQL (`postgresql://user@host:port/db`, a libpq URL). A password in the URL
// is refused: it would show in `ps` and in the unit file; libpq reads it from a passfile
// (`?passfile=/etc/storepulse/pgpass`) or PGPASSFILE.
#pragma once

#include <string>

#include "common/status.h"

namespace storepulse::central {

struct DatabaseUrl {
  bool postgres = false;
  std::string data_dir;  // SQLite: the directory of central.db
  std::string conninfo;  // PostgreSQL: the URL, for libpq
};

// InvalidArgument naming the accepted forms, or libpq's reason for a malformed URL.
common::StatusOr<DatabaseUrl> ParseDatabaseUrl(const std::string& url,
                                               const std::string& default_data_dir);

}  // namespace storepulse::central
