#include "central/pg_stores.h"

#include <charconv>

#include "central/pg_connection.h"

namespace storepulse::central {

namespace {

// Any constant of our own: the advisory lock around a write of the stores table.
constexpr int64_t kStoresLock = 0x73707374;  // "spst"

// The shortest text that reads back as the same double.
std::string ExactDouble(double value) {
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  (void)error;
  return std::string(buffer, end);
}

std::string CopyRows(const StoreDirectory& directory) {
  std::string out;
  for (const StoreEntry& entry : directory.stores()) {
    for (const std::string* text : {&entry.store, &entry.name, &entry.region, &entry.zone.name()}) {
      AppendCopyText(*text, &out);
      out.push_back('\t');
    }
    // An unknown area (0 in the stores file) is NULL: the views then give no sales per m².
    out.append(entry.area_m2 > 0 ? ExactDouble(entry.area_m2) : "\\N");
    out.push_back('\n');
  }
  return out;
}

}  // namespace

common::Status WritePgStores(const std::string& conninfo, const StoreDirectory& directory) {
  ASSIGN_OR_RETURN(auto db, PgConnection::Connect(conninfo));
  auto write = [&]() -> common::Status {
    RETURN_IF_ERROR(db->Exec("BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(kStoresLock) +
                                 "); CREATE TEMP TABLE listed(store text, name text, region "
                                 "text, timezone text, area_m2 float8) ON COMMIT DROP",
                             "begin writing the stores table")
                        .status());
    RETURN_IF_ERROR(
        db->CopyIn("COPY listed FROM STDIN", CopyRows(directory), "copy the stores file"));
    RETURN_IF_ERROR(
        db->Exec("UPDATE storepulse.stores SET listed = false WHERE listed AND store NOT IN "
                 "(SELECT store FROM listed);"
                 "INSERT INTO storepulse.stores SELECT *, true FROM listed ON CONFLICT(store) DO "
                 "UPDATE SET name = excluded.name, region = excluded.region, timezone = "
                 "excluded.timezone, area_m2 = excluded.area_m2, listed = true;"
                 "COMMIT",
                 "write the stores table")
            .status());
    return common::OkStatus();
  };
  common::Status status = write();
  if (!status.ok() && db->ok()) (void)db->Exec("ROLLBACK", "roll back the stores table");
  return status;
}

}  // namespace storepulse::central
