// The suite's PostgreSQL server and TestDatabase: what every PostgreSQL test relies on.
#include "tests/support/test_postgres.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "tests/support/free_port.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

// Sets an environment variable for one scope, restoring what was there.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value == nullptr) {
      unsetenv(name);
    } else {
      setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

std::string FirstLine(const std::string& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

// Whether `table` exists in the database of `url`.
bool HasTable(const std::string& url, const std::string& table) {
  pqxx::connection connection(url);
  pqxx::nontransaction work(connection);
  return !work.exec("SELECT to_regclass(" + work.quote(table) + ")")[0][0].is_null();
}

TEST(TestPostgresTest, WritesAndReadsBack) {
  auto database = TestDatabase::Create();
  ASSERT_TRUE(database.ok()) << database.status().ToString();
  pqxx::connection connection(database->url());
  pqxx::work work(connection);
  work.exec("CREATE TABLE sales (store TEXT PRIMARY KEY, cents BIGINT NOT NULL)");
  work.exec("INSERT INTO sales VALUES ('S1', 1999), ('S2', 250)");
  work.commit();

  pqxx::nontransaction read(connection);
  pqxx::result rows = read.exec("SELECT store, cents FROM sales ORDER BY store");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0].as<std::string>(), "S1");
  EXPECT_EQ(rows[0][1].as<int64_t>(), 1999);
  EXPECT_EQ(rows[1][1].as<int64_t>(), 250);
}

TEST(TestPostgresTest, TwoDatabasesAreIsolated) {
  auto first = TestDatabase::Create();
  auto second = TestDatabase::Create();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_NE(first->name(), second->name());
  EXPECT_NE(first->url(), second->url());
  {
    pqxx::connection connection(first->url());
    pqxx::nontransaction work(connection);
    work.exec("CREATE TABLE only_here (x INT)");
  }
  EXPECT_TRUE(HasTable(first->url(), "only_here"));
  EXPECT_FALSE(HasTable(second->url(), "only_here"));
}

TEST(TestPostgresTest, DropsItsDatabaseWithItsSessionsWhenDestroyed) {
  auto server = FindTestPostgresServer();
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  std::string name;
  std::optional<pqxx::connection> left_open;
  {
    auto database = TestDatabase::Create();
    ASSERT_TRUE(database.ok()) << database.status().ToString();
    name = database->name();
    left_open.emplace(database->url());  // a daemon that did not disconnect
  }
  pqxx::connection connection(server->url);
  pqxx::nontransaction work(connection);
  EXPECT_EQ(work.exec("SELECT 1 FROM pg_database WHERE datname = " + work.quote(name)).size(), 0u)
      << name << " outlived its TestDatabase";
}

TEST(TestPostgresTest, RecreateEndsSessionsAndEmptiesTheDatabase) {
  auto database = TestDatabase::Create();
  ASSERT_TRUE(database.ok()) << database.status().ToString();
  pqxx::connection daemon(database->url());
  pqxx::nontransaction(daemon).exec("CREATE TABLE events (seq BIGINT)");

  ASSERT_TRUE(database->Recreate().ok());

  EXPECT_THROW(pqxx::nontransaction(daemon).exec("SELECT 1"), pqxx::broken_connection);
  EXPECT_FALSE(HasTable(database->url(), "events"));
}

TEST(TestPostgresTest, PasswordRoleNeedsItsPassword) {
  auto database = TestDatabase::Create();
  ASSERT_TRUE(database.ok()) << database.status().ToString();
  const std::string password = FirstLine(database->server().password_file);
  ASSERT_FALSE(password.empty());

  {  // the password from the file: it owns the database, so it may create its tables
    pqxx::connection connection(database->PasswordRoleUrl() + "?password=" + password);
    pqxx::nontransaction work(connection);
    EXPECT_EQ(work.exec("SELECT current_user")[0][0].as<std::string>(), "storepulse_pw");
    work.exec("CREATE TABLE positions (store TEXT)");
  }
  {  // the same from a PGPASSFILE
    ScopedEnv pgpass("PGPASSFILE", database->server().pgpass_file.c_str());
    EXPECT_NO_THROW(pqxx::connection connection(database->PasswordRoleUrl()));
  }
  try {
    pqxx::connection connection(database->PasswordRoleUrl() + "?password=wrong" + password);
    ADD_FAILURE() << "a wrong password was accepted";
  } catch (const pqxx::broken_connection& e) {
    EXPECT_NE(std::string(e.what()).find("password authentication failed"), std::string::npos)
        << e.what();
  }
}

TEST(TestPostgresTest, NoServerIsAFailureNotASkip) {
  {
    ScopedEnv unset("STOREPULSE_TEST_PG_URL_FILE", nullptr);
    auto server = FindTestPostgresServer();
    ASSERT_FALSE(server.ok());
    EXPECT_EQ(server.status().code(), common::StatusCode::kFailedPrecondition);
    EXPECT_NE(server.status().message().find("pg_cluster start"), std::string::npos)
        << server.status().ToString();
  }
  TempDir dir;
  const std::string url_file = dir.Write(
      "url", "postgresql://storepulse@127.0.0.1:" + std::to_string(FreeTcpPort()) + "/postgres\n");
  ScopedEnv nobody_there("STOREPULSE_TEST_PG_URL_FILE", url_file.c_str());
  auto database = TestDatabase::Create();
  ASSERT_FALSE(database.ok());
  EXPECT_EQ(database.status().code(), common::StatusCode::kUnavailable)
      << database.status().ToString();
}

}  // namespace
}  // namespace storepulse::test_support
