#include "central/database_url.h"

#include <libpq-fe.h>

#include <filesystem>
#include <memory>

namespace storepulse::central {

common::StatusOr<DatabaseUrl> ParseDatabaseUrl(const std::string& url,
                                               const std::string& default_data_dir) {
  DatabaseUrl parsed;
  if (url.empty()) {
    parsed.data_dir = default_data_dir;
    return parsed;
  }
  const std::string sqlite = "sqlite://";
  if (url.starts_with(sqlite)) {
    std::filesystem::path path(url.substr(sqlite.size()));
    if (!path.is_absolute() || path.filename() != "central.db") {
      return common::InvalidArgument("--database " + url +
                                     ": a SQLite database is sqlite:// and an absolute path to a "
                                     "file named central.db, e.g. "
                                     "sqlite:///var/lib/storepulse/central/central.db");
    }
    parsed.data_dir = path.parent_path().string();
    return parsed;
  }
  if (!url.starts_with("postgresql://") && !url.starts_with("postgres://")) {
    return common::InvalidArgument(
        "--database must be sqlite:///DIR/central.db or postgresql://USER@HOST:PORT/DB, not " +
        url);
  }
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options(
      PQconninfoParse(url.c_str(), &error), &PQconninfoFree);
  if (options == nullptr) {
    std::string why = error == nullptr ? "out of memory" : error;
    if (error != nullptr) PQfreemem(error);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    return common::InvalidArgument("--database: not a PostgreSQL URL libpq accepts: " + why);
  }
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (std::string(option->keyword) == "password" && option->val != nullptr &&
        option->val[0] != '\0') {
      return common::InvalidArgument(
          "--database: no password in the URL (it would show in ps and in unit files): put it "
          "in a passfile, named by ?passfile=/etc/storepulse/pgpass in the URL or by "
          "PGPASSFILE (format host:port:db:user:password, mode 0600)");
    }
  }
  parsed.postgres = true;
  parsed.conninfo = url;
  parsed.data_dir = default_data_dir;
  return parsed;
}

}  // namespace storepulse::central
