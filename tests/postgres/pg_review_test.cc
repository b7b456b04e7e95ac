// Central on PostgreSQL when the database blinks, hangs or disappears under it: found by a review
// of issue 10, each test failing before its fix (docs/SCALING.md, docs/OPERATIONS.md).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <future>
#include <iostream>
#include <pqxx/pqxx>
#include <thread>

#include "central/pg_connection.h"
#include "central/pg_log.h"
#include "common/event_codec.h"
#include "common/event_validator.h"
#include "tests/integration/chain.h"
#include "tests/integration/chain_calls.h"
#include "tests/integration/test_events.h"
#include "tests/support/test_postgres.h"

namespace storepulse::test_support {
namespace {

// A hello is answered with the stream's position read now: when it cannot be read, there is no
// position to answer (before: the last one seen, 0 for a central that never applied the stream,
// for a stream PostgreSQL holds up to 10).
TEST(PgReviewTest, APositionThatCannotBeReadIsNoPosition) {
  auto db = TestDatabase::Create();
  ASSERT_TRUE(db.ok()) << db.status().message();
  static const common::TimeZone paris = *common::TimeZone::Load("Europe/Paris");
  auto a = central::PgLog::Open(db->url());
  ASSERT_TRUE(a.ok()) << a.status().message();
  central::StreamBatch batch{{"S1", "i1"}, 1, Sales("r", 10)};
  batch.zone = &paris;
  std::vector<central::ApplyOutcome> outcomes;
  ASSERT_TRUE((*a)->ApplyGroup({&batch}, 1, &outcomes).ok());
  ASSERT_EQ(outcomes[0].acked_seq, 10);
  auto b = central::PgLog::Open(db->url());  // a second central, its writer connected
  ASSERT_TRUE(b.ok());
  {  // new connections refused for a moment (a restart, a failover), open ones kept
    pqxx::connection admin(db->server().url);
    pqxx::nontransaction tx(admin);
    tx.exec0("ALTER DATABASE " + tx.quote_name(db->name()) + " ALLOW_CONNECTIONS false");
  }
  const std::optional<int64_t> welcomed = (*b)->FreshAckedSeq({"S1", "i1"});
  ASSERT_TRUE(db->SetReachable(true).ok());
  EXPECT_FALSE(welcomed.has_value()) << "a welcome at " << *welcomed;
}

// While PostgreSQL is away the edges resend at once on each `retry`, and central logs one line
// per batch and opens one connection per group.
TEST(PgReviewTest, PostgresAwayLogsOncePerOutageNotPerBatch) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, {}, Backend::kPostgres);
  ASSERT_TRUE(chain.StartAll());
  auto ingest = [&](const std::string& prefix, int count) {
    auto reply = PostBody(chain.edge(0).http_port(), "/api/v1/events",
                          common::EncodeJsonLines(Sales(prefix, count)));
    ASSERT_TRUE(reply && reply->status == 200);
  };
  ingest("before", 5);
  ASSERT_EQ(chain.WaitCaughtUp(0), 5);
  ASSERT_TRUE(chain.database()->SetReachable(false).ok());
  ingest("away", 5);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < until) {  // a measurement window, not a wait
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const std::string log = chain.central().Log();
  size_t lines = 0;
  for (size_t at = log.find("cannot apply a batch"); at != std::string::npos;
       at = log.find("cannot apply a batch", at + 1)) {
    ++lines;
  }
  ASSERT_TRUE(chain.database()->SetReachable(true).ok());
  ASSERT_EQ(chain.WaitCaughtUp(0), 10);
  EXPECT_LE(lines, 3u) << "lines 'cannot apply a batch' in 3 s of outage; log tail:\n"
                       << log.substr(log.size() > 1500 ? log.size() - 1500 : 0);
}

// Central 0 and a second central on the same database, the chain's one edge failing over between
// them (central 0 first).
void StartOneEdgeOverTwoCentrals(Chain& chain) {
  ASSERT_EQ(chain.AddCentral(), 1u);
  ASSERT_TRUE(chain.central(0).Start());
  ASSERT_TRUE(chain.central(1).Start());
  std::vector<std::string> args = chain.ReplicationArgs(0);
  args[1] = chain.central(0).endpoint() + "," + chain.central(1).endpoint();
  chain.ResetEdge(0, args);
  ASSERT_TRUE(chain.StartEdge(0));
}

// A central that cannot read the position now welcomes an edge failing over to it with 0: the
// edge takes central for "behind what it acknowledged", logs it as a database loss and resends

// its whole retention from seq 1.
TEST(PgReviewTest, AFailoverWhilePostgresBlinksIsNotTakenForCentralBehind) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, {}, Backend::kPostgres);
  ASSERT_NO_FATAL_FAILURE(StartOneEdgeOverTwoCentrals(chain));
  Ingest(chain.edge(0), Sales("before", 50));
  ASSERT_EQ(chain.WaitCaughtUp(0), 50);
  ASSERT_TRUE(chain.database()->SetReachable(false).ok());  // PostgreSQL restarting, failing over
  chain.central(0).Kill();                 // and the central the edge used is gone
  // Central 1 cannot read the stream's position: it does not welcome the edge meanwhile.
  ASSERT_TRUE(WaitUntil([&] {
    return chain.central(1).Log().find("hellos not answered") != std::string::npos;
  })) << chain.central(1).Log();
  ASSERT_TRUE(chain.database()->SetReachable(true).ok());
  const bool welcomed = WaitUntil([&] {
    auto status = GetJson(chain.edge(0).http_port(), "/api/v1/status");
    return status && (*status)["replication"]["central"] == chain.central(1).endpoint() &&
           (*status)["replication"]["streaming"] == true;
  }, std::chrono::seconds(60));
  auto status = GetJson(chain.edge(0).http_port(), "/api/v1/status");
  ASSERT_TRUE(welcomed);
  EXPECT_EQ((*status)["replication"]["central_behind"], 0) << (*status)["replication"].dump(1);
  ASSERT_EQ(chain.WaitCaughtUp(0), 50);
}

// The replication server's thread reads the position on every hello and heartbeat with a
// blocking PQexec and no deadline: a PostgreSQL that does not answer (a hung server; a dead
// host, where TCP gives up only after ~15 min) freezes the thread that answers every edge.
TEST(PgReviewTest, ReadingAPositionHasADeadline) {
  auto db = TestDatabase::Create();
  ASSERT_TRUE(db.ok()) << db.status().message();
  auto log = central::PgLog::Open(db->url());
  ASSERT_TRUE(log.ok()) << log.status().message();
  (void)(*log)->AckedSeq({"S1", "i1"});  // the reader connected
  std::vector<int> frozen;
  {
    pqxx::connection admin(db->server().url);
    pqxx::nontransaction tx(admin);
    for (auto row : tx.exec("SELECT pid FROM pg_stat_activity WHERE datname = " +
                            tx.quote(db->name()))) {
      frozen.push_back(row[0].as<int>());
    }
  }
  for (int pid : frozen) kill(pid, SIGSTOP);  // this database's backends stop answering
  auto read = std::async(std::launch::async, [&] { return (*log)->AckedSeq({"S1", "i1"}); });
  const bool answered = read.wait_for(std::chrono::seconds(3)) == std::future_status::ready;
  for (int pid : frozen) kill(pid, SIGCONT);
  read.wait();
  EXPECT_TRUE(answered) << "AckedSeq still blocked after 3 s (" << frozen.size()
                        << " backends frozen)";
}

// A central whose host stops mid-transaction (power, a frozen VM: no FIN, no RST) keeps its
// stores' advisory locks in PostgreSQL until the server's TCP keepalive gives up (~2 h by
// default): the other central answers those stores "busy" all that time.
TEST(PgReviewTest, AFrozenCentralDoesNotHoldAStoreForEver) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, {}, Backend::kPostgres);
  ASSERT_NO_FATAL_FAILURE(StartOneEdgeOverTwoCentrals(chain));
  pqxx::connection admin(chain.database()->url());
  auto lock_held_in_transaction = [&] {
    pqxx::nontransaction tx(admin);
    return tx.exec1("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
                    "WHERE l.locktype = 'advisory' AND l.granted AND a.xact_start IS NOT NULL "
                    "AND a.pid <> pg_backend_pid() AND l.objsubid = 1 AND NOT (l.classid = 0 AND "
                    "l.objid IN (x'7370616c'::int::oid, x'73707067'::int::oid))")[0].as<int64_t>() > 0;
  };
  const pid_t central0 = chain.central(0).pid();
  bool frozen_in_transaction = false;
  int64_t sent = 0;
  for (int attempt = 0; attempt < 200 && !frozen_in_transaction; ++attempt) {
    Ingest(chain.edge(0), Sales("load" + std::to_string(attempt), 2000));
    sent += 2000;
    kill(central0, SIGSTOP);
    frozen_in_transaction = lock_held_in_transaction();
    if (!frozen_in_transaction) kill(central0, SIGCONT);
  }
  ASSERT_TRUE(frozen_in_transaction) << "never caught central 0 inside a transaction";
  // The edge leaves the silent central (ack timeout, then stall) for central 1.
  const bool caught_up = WaitUntil([&] {
    auto status = GetJson(chain.edge(0).http_port(), "/api/v1/status");
    return status && (*status)["replication"]["acked_seq"] == sent;
  }, std::chrono::seconds(60));
  auto status = GetJson(chain.edge(0).http_port(), "/api/v1/status");
  const bool still_locked = lock_held_in_transaction();
  chain.central(0).Kill();  // SIGKILL ends a stopped process too
  EXPECT_TRUE(caught_up) << "lock still held: " << still_locked << "\n"
                         << (status ? (*status)["replication"].dump(1) : "");
}

// The integration test above catches central 0 wherever it can; mostly idle in its transaction,
// which the server's timeout ends. Frozen inside a batch's COPY, its session waits for data,
// active, where no timeout reaches: central 1 answered the store "busy" for as long as the frozen
// central's TCP connection lived (CI: still busy after 60 s).
TEST(PgReviewTest, ACentralFrozenMidCopyLosesTheStoreToTheOther) {
  auto db = TestDatabase::Create();
  ASSERT_TRUE(db.ok()) << db.status().message();
  auto frozen = central::PgConnection::Connect(db->url());
  ASSERT_TRUE(frozen.ok()) << frozen.status().message();
  for (const char* sql : {"CREATE TEMP TABLE incoming(x text)", "BEGIN",
                          "SELECT pg_advisory_xact_lock(hashtextextended('S1', 0))",
                          "COPY incoming FROM STDIN"}) {  // and then never a row
    ASSERT_TRUE((*frozen)->Exec(sql, sql).ok()) << sql;
  }
  auto log = central::PgLog::Open(db->url());
  ASSERT_TRUE(log.ok()) << log.status().message();
  static const common::TimeZone paris = *common::TimeZone::Load("Europe/Paris");
  central::StreamBatch batch{{"S1", "i1"}, 1, Sales("r", 10)};
  batch.zone = &paris;
  std::vector<central::ApplyOutcome> outcomes;
  ASSERT_TRUE((*log)->ApplyGroup({&batch}, 1, &outcomes).ok());
  ASSERT_TRUE(outcomes[0].busy) << "the frozen session holds S1";
  const bool applied = WaitUntil(
      [&] {
        outcomes.clear();
        return (*log)->ApplyGroup({&batch}, 1, &outcomes).ok() && !outcomes[0].busy;
      },
      std::chrono::seconds(40));
  ASSERT_TRUE(applied) << "S1 still busy after 40 s";
  EXPECT_EQ(outcomes[0].acked_seq, 10);
  EXPECT_FALSE((*frozen)->Exec("SELECT 1", "ask the ended session").ok());
}

}  // namespace
}  // namespace storepulse::test_support
