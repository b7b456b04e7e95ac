// The PostgreSQL server of the test suite and a fresh database on it per test.
//
// The server is the throwaway cluster of the `postgres` CTest fixture (tests/support/pg_cluster,
// docs/TESTING.md): a test registered with ${STOREPULSE_POSTGRES_TEST_PROPERTIES} finds its URL
// in the file named by STOREPULSE_TEST_PG_URL_FILE. No server is an error, never a skip: the
// suite must really test PostgreSQL. To run such a test binary by hand:
//   tests/support/pg_cluster start /tmp/pg
//   STOREPULSE_TEST_PG_URL_FILE=/tmp/pg/url build/tests/postgres_tests
//   tests/support/pg_cluster stop /tmp/pg
//
// A TestDatabase belongs to one test thread; the daemons it is handed to connect on their own.
#pragma once

#include <string>
#include <utility>

#include "common/status.h"

namespace storepulse::test_support {

// The server as pg_cluster described it.
struct TestPostgresServer {
  std::string url;            // the superuser `storepulse`, trusted, on the database postgres
  std::string host_port;      // 127.0.0.1:P
  std::string password_role;  // `storepulse_pw`: the one role that must give its password
  std::string password_file;  // that role's password alone on its line (mode 0600)
  std::string pgpass_file;    // the same as a PGPASSFILE (host:port:*:role:password, mode 0600)
};

// Reads STOREPULSE_TEST_PG_URL_FILE and checks that the server answers. FailedPrecondition when
// the variable is unset or the file unreadable (the message says how to get a server),
// Unavailable when the server does not answer.
common::StatusOr<TestPostgresServer> FindTestPostgresServer();

// A database of its own on the test server, with a unique name: created by Create(), dropped
// (WITH (FORCE): open sessions are ended) on destruction. Movable, not copyable.
class TestDatabase {
 public:
  // A new empty database. The password role may connect to it and create in its schema public.
  static common::StatusOr<TestDatabase> Create();
  ~TestDatabase();  // drops the database; never throws (a failure is printed)
  TestDatabase(TestDatabase&& other) noexcept;
  TestDatabase& operator=(TestDatabase&&) = delete;
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const { return name_; }
  // libpq URL of this database for the superuser (no password needed).
  std::string url() const;
  // libpq URL of this database for the password role, without the password: give it
  // server().password_file or PGPASSFILE=server().pgpass_file.
  std::string PasswordRoleUrl() const;
  const TestPostgresServer& server() const { return server_; }

  // Drops the database — ending every session on it, the daemons' included — and creates it
  // again empty under the same name: a central whose database was lost and rebuilt.
  common::Status Recreate();
  // To its clients the database is down (false: new connections refused, open ones ended) or
  // back (true); the data stays.
  common::Status SetReachable(bool reachable) const;

 private:
  TestDatabase(TestPostgresServer server, std::string name)
      : server_(std::move(server)), name_(std::move(name)) {}
  common::Status CreateDatabase() const;
  common::Status DropDatabase() const;

  TestPostgresServer server_;
  std::string name_;  // empty once moved from
};

}  // namespace storepulse::test_support
