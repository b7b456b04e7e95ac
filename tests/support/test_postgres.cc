#include "tests/support/test_postgres.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <pqxx/pqxx>
#include <random>

namespace storepulse::test_support {
namespace {

constexpr char kUrlFileVariable[] = "STOREPULSE_TEST_PG_URL_FILE";

// Runs `sql` outside a transaction (CREATE and DROP DATABASE refuse to run inside one) in a
// session of its own on `url`.
common::Status Execute(const std::string& url, const std::string& sql) {
  try {
    pqxx::connection connection(url);
    pqxx::nontransaction work(connection);
    work.exec(sql);
    return common::OkStatus();
  } catch (const pqxx::broken_connection& e) {
    return common::Unavailable("PostgreSQL at " + url + " does not answer: " + e.what());
  } catch (const std::exception& e) {
    return common::Internal("PostgreSQL at " + url + ": `" + sql + "` failed: " + e.what());
  }
}

// `url` with its database (the path after the host) replaced by `database`.
std::string WithDatabase(const std::string& url, const std::string& database) {
  return url.substr(0, url.rfind('/') + 1) + database;
}

// A name no other test's database has, in this run or a concurrent one: lowercase, so that it
// needs no quoting, and well under PostgreSQL's 63 bytes.
std::string UniqueDatabaseName() {
  static std::atomic<int> counter{0};
  static const unsigned salt = std::random_device{}();
  return "storepulse_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(salt % 1'000'000);
}

}  // namespace

common::StatusOr<TestPostgresServer> FindTestPostgresServer() {
  const char* url_file = std::getenv(kUrlFileVariable);
  if (url_file == nullptr || *url_file == '\0') {
    return common::FailedPrecondition(
        std::string(kUrlFileVariable) +
        " is not set: this test needs the suite's PostgreSQL server. Run it through ctest (the "
        "`postgres` fixture starts one), or by hand: tests/support/pg_cluster start DIR, then " +
        kUrlFileVariable + "=DIR/url");
  }
  TestPostgresServer server;
  std::ifstream in(url_file);
  if (!std::getline(in, server.url) || server.url.empty()) {
    return common::FailedPrecondition(std::string(kUrlFileVariable) + "=" + url_file +
                                      ": no URL in that file (did tests/support/pg_cluster start "
                                      "run, and not stop since?)");
  }
  const size_t at = server.url.find('@');
  const size_t slash = server.url.find('/', at);
  if (at == std::string::npos || slash == std::string::npos) {
    return common::FailedPrecondition(std::string(url_file) +
                                      ": not a URL user@host:port/db: " + server.url);
  }
  server.host_port = server.url.substr(at + 1, slash - at - 1);
  const std::filesystem::path dir = std::filesystem::path(url_file).parent_path();
  server.password_role = "storepulse_pw";
  server.password_file = (dir / "password").string();
  server.pgpass_file = (dir / "pgpass").string();
  RETURN_IF_ERROR(Execute(server.url, "SELECT 1"));
  return server;
}

common::StatusOr<TestDatabase> TestDatabase::Create() {
  ASSIGN_OR_RETURN(TestPostgresServer server, FindTestPostgresServer());
  TestDatabase database(std::move(server), UniqueDatabaseName());
  common::Status created = database.CreateDatabase();
  if (!created.ok()) {
    database.name_.clear();  // nothing to drop
    return created;
  }
  return database;
}

TestDatabase::TestDatabase(TestDatabase&& other) noexcept
    : server_(std::move(other.server_)), name_(std::move(other.name_)) {
  other.name_.clear();
}

TestDatabase::~TestDatabase() {
  if (name_.empty()) return;
  common::Status dropped = DropDatabase();
  if (!dropped.ok()) std::cerr << "TestDatabase: " << dropped.ToString() << "\n";
}

std::string TestDatabase::url() const { return WithDatabase(server_.url, name_); }

std::string TestDatabase::PasswordRoleUrl() const {
  return "postgresql://" + server_.password_role + "@" + server_.host_port + "/" + name_;
}

common::Status TestDatabase::Recreate() {
  RETURN_IF_ERROR(DropDatabase());
  return CreateDatabase();
}

common::Status TestDatabase::SetReachable(bool reachable) const {
  RETURN_IF_ERROR(Execute(server_.url, "ALTER DATABASE " + name_ + " ALLOW_CONNECTIONS " +
                                           (reachable ? "true" : "false")));
  if (reachable) return common::OkStatus();
  return Execute(
      server_.url,
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name_ + "'");
}

// Owned by the password role: in PostgreSQL 15 the owner of a database owns its schema public,
// so that role may create its tables there.
common::Status TestDatabase::CreateDatabase() const {
  return Execute(server_.url, "CREATE DATABASE " + name_ + " OWNER " + server_.password_role);
}

common::Status TestDatabase::DropDatabase() const {
  return Execute(server_.url, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
}

}  // namespace storepulse::test_support
