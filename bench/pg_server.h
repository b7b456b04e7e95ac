// The PostgreSQL server of the central-on-PostgreSQL benches: a throwaway PostgreSQL 15 cluster
// started by bench/pg_server (the test suite's tests/support/pg_cluster with the bench's
// settings: see that script), on a free 127.0.0.1 port, stopped and removed when this goes out of
// scope. Besides the URLs of fresh databases, it reads what the server itself counts — its
// settings, its WAL position, the commits of a database, pg_stat_statements — so that a figure
// can say what the server did. Owned by one thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "central/pg_connection.h"
#include "common/status.h"

namespace storepulse::bench {

class PgServer {
 public:
  // Starts the server with its data under /tmp and its files (url, …) in `dir`; Unavailable with
  // the script's output when it does not start (no postgresql-15, say).
  static common::StatusOr<std::unique_ptr<PgServer>> Start(const std::string& dir);
  ~PgServer();  // stops the server and removes its data
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // The URL of `database` on this server, as the superuser (trust: no password).
  std::string Url(const std::string& database) const;
  // Creates `database`, empty (dropped first if it exists); its URL.
  common::StatusOr<std::string> CreateDatabase(const std::string& database);
  // A CHECKPOINT, and pg_stat_statements emptied: a timed run starts from here.
  common::Status StartOfRun();

  // Where the server's write-ahead log is (pg_current_wal_lsn), in bytes: the WAL a run wrote
  // is the difference.
  common::StatusOr<int64_t> WalPosition();
  // The `count` statements run in `database` that took the most server time since StartOfRun
  // (pg_stat_statements, updated as each statement ends; COMMIT counts the transactions):
  // {"total_ms":…, "commits":…, "top":[{"query":…, "calls":…, "total_ms":…, "mean_ms":…,
  // "rows":…}, …]}.
  common::StatusOr<nlohmann::json> TopStatements(const std::string& database, int count);
  // CPU seconds the server's processes have used so far: the postmaster, the children it has
  // reaped and those alive (backends, WAL writer, checkpointer, …). -1 when unreadable.
  double CpuSeconds() const;
  // The settings that shape write throughput and durability, as the server runs them.
  common::StatusOr<nlohmann::json> Settings();

 private:
  explicit PgServer(std::string dir) : dir_(std::move(dir)) {}
  common::StatusOr<central::PgConnection*> Admin();

  std::string dir_;
  std::string url_;  // of the database `postgres`
  pid_t postmaster_ = -1;
  std::unique_ptr<central::PgConnection> admin_;
};

}  // namespace storepulse::bench
