// storepulse-central on PostgreSQL when the database cannot be had: a wrong password, a server
// that is down, a password in the URL — a clear error and exit status 1 at start (systemd
// restarts it: Restart=on-failure) — and a server that goes away while central runs: the edges
// keep their events and central catches up when PostgreSQL is back.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "common/event_codec.h"
#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"
#include "tests/support/free_port.h"
#include "tests/support/process.h"

namespace storepulse::test_support {
namespace {

// storepulse-central with the chain's keys and stores file on `database`; its exit status and
// output when it stops by itself within 30 s.
// `more`: further flags (--check-config).
RunResult RunCentral(Chain& chain, const std::string& database,
                     const std::vector<std::string>& more = {}) {
  std::vector<std::string> argv = {STOREPULSE_CENTRAL_BIN,
                                   "--data-dir",
                                   chain.dir().File("central"),
                                   "--listen",
                                   "tcp://127.0.0.1:" + std::to_string(FreeTcpPort()),
                                   "--http-listen",
                                   "127.0.0.1:" + std::to_string(FreeTcpPort()),
                                   "--secret-key-file",
                                   chain.dir().File("central.key"),
                                   "--stores-file",
                                   chain.dir().File("stores.csv"),
                                   "--database",
                                   database};
  argv.insert(argv.end(), more.begin(), more.end());
  auto result = RunProcess(argv, std::chrono::seconds(30));
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? *result : RunResult{};
}

TEST(PgCentralStartTest, AWrongPasswordIsAClearErrorAndExitStatus1) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, {}, Backend::kPostgres);
  const TestDatabase& db = *chain.database();
  std::string host = db.server().host_port.substr(0, db.server().host_port.find(':'));
  std::string port = db.server().host_port.substr(db.server().host_port.find(':') + 1);
  std::string passfile = chain.dir().Write(
      "pgpass", host + ":" + port + ":*:" + db.server().password_role + ":not-the-password\n");
  ASSERT_EQ(chmod(passfile.c_str(), 0600), 0);
  RunResult run = RunCentral(chain, db.PasswordRoleUrl() + "?passfile=" + passfile);
  EXPECT_FALSE(run.timed_out);
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_NE(run.err.find("password authentication failed"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("passfile"), std::string::npos) << run.err;  // says where it goes
}

TEST(PgCentralStartTest, TheRightPasswordFromAPassfileWorks) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, {}, Backend::kPostgres);
  const TestDatabase& db = *chain.database();
  CentralNode central({chain.dir().File("central"), chain.dir().File("central.key"),
                       chain.dir().File("stores.csv"),
                       {"--database", db.PasswordRoleUrl() + "?passfile=" + db.server().pgpass_file}});
  ASSERT_TRUE(central.Start());
  EXPECT_EQ(central.Stop(), 0);
}

TEST(PgCentralStartTest, AServerThatIsDownIsAClearErrorAndExitStatus1) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  RunResult run = RunCentral(
      chain, "postgresql://storepulse@127.0.0.1:" + std::to_string(FreeTcpPort()) + "/storepulse");
  EXPECT_FALSE(run.timed_out);
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_NE(run.err.find("cannot connect to PostgreSQL"), std::string::npos) << run.err;
}

TEST(PgCentralStartTest, APasswordInTheUrlIsRefused) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  RunResult run = RunCentral(chain, "postgresql://storepulse:secret@127.0.0.1:5432/storepulse");
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_NE(run.err.find("no password in the URL"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("secret"), std::string::npos) << "the password is not repeated";
}

TEST(PgCentralStartTest, CheckConfigSaysWhatADatabaseUrlMustBe) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  RunResult run = RunCentral(chain, "mysql://db.example/storepulse", {"--check-config"});
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_NE(run.out.find("--database must be sqlite:///DIR/central.db or "
                         "postgresql://USER@HOST:PORT/DB"),
            std::string::npos)
      << run.out << run.err;
}

TEST(PgCentralStartTest, EdgesKeepTheirEventsWhilePostgresIsAwayAndCentralCatchesUpAfter) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}, {"BOM1", "asia", "Asia/Kolkata"}}, {},
              Backend::kPostgres);
  ASSERT_TRUE(chain.StartAll());
  auto ingest = [&](size_t i, const std::string& prefix, int count) {
    auto reply = PostBody(chain.edge(i).http_port(), "/api/v1/events",
                          common::EncodeJsonLines(Sales(prefix, count)));
    ASSERT_TRUE(reply && reply->status == 200);
  };
  ingest(0, "before", 50);
  ASSERT_EQ(chain.WaitCaughtUp(0), 50);
  ASSERT_TRUE(chain.database()->SetReachable(false).ok());
  ingest(0, "away", 300);
  ingest(1, "away-bom", 200);
  // Nothing is acknowledged while PostgreSQL is away: the edges hold the backlog.
  ASSERT_TRUE(WaitUntil([&] {
    auto status = GetJson(chain.edge(0).http_port(), "/api/v1/status");
    return status && (*status)["replication"]["backlog_events"] == 300;
  }));
  auto status = GetJson(chain.edge(0).http_port(), "/api/v1/status");
  EXPECT_EQ((*status)["replication"]["acked_seq"], 50);
  ASSERT_TRUE(chain.database()->SetReachable(true).ok());
  ASSERT_EQ(chain.WaitCaughtUp(0), 350);
  ASSERT_EQ(chain.WaitCaughtUp(1), 200);
  EXPECT_EQ(chain.CentralKpis("store:PAR1")[0]["transactions"], 350);
  EXPECT_EQ(chain.CentralKpis("network")[0]["transactions"], 550);
  EXPECT_NE(chain.central().Log().find("PostgreSQL"), std::string::npos);
}

}  // namespace
}  // namespace storepulse::test_support
