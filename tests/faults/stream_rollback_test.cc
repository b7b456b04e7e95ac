// An edge whose database lost commits central had acknowledged — a torn WAL after kill -9, a
// power cut with durability=normal, a restore from a backup — reuses those seqs for new events.
// Central must never skip them as replays: the edge starts a new incarnation, central checks the
// ids of what it would skip, and every event counts exactly once (SPEC §4).
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>

#include "common/event_codec.h"
#include "tests/faults/wal_tail.h"
#include "tests/integration/chain.h"
#include "tests/integration/chain_calls.h"
#include "tests/integration/test_events.h"
#include "tests/support/wire_client.h"

namespace storepulse::test_support {
namespace {

namespace fs = std::filesystem;
namespace wire = common::wire;

nlohmann::json FleetRow(Chain& chain) {
  auto fleet = GetJson(chain.central().http_port(), "/api/v1/fleet");
  return fleet ? (*fleet)["stores"][0] : nlohmann::json::object();
}

// 1,000 events replicated and acknowledged (900, then the 100 that will be lost); the incarnation.
std::string ReplicateThousand(Chain& chain) {
  Ingest(chain.edge(0), Sales("a", 900));
  EXPECT_EQ(chain.WaitCaughtUp(0), 900);
  Ingest(chain.edge(0), Sales("b", 100));
  EXPECT_EQ(chain.WaitCaughtUp(0), 1000);
  EXPECT_EQ(CentralTransactions(chain), 1000);
  return EdgeStatus(chain)["incarnation"];
}

// After the loss the edge held 900 events and 100 new ones arrived (seqs 901–1000 again).
// Central ends with all 1,100, the edge streams under a new incarnation, and both say so.
void ExpectNewStreamAndNothingLost(Chain& chain, const std::string& old_incarnation) {
  EXPECT_TRUE(WaitUntil([&] { return CentralTransactions(chain) == 1100; },
                        std::chrono::seconds(60)))
      << "central counts " << CentralTransactions(chain) << " transactions";
  EXPECT_EQ(chain.WaitCaughtUp(0), 1000);
  EXPECT_EQ(CentralTransactions(chain), 1100);  // nothing counted twice either
  nlohmann::json status = EdgeStatus(chain);
  EXPECT_NE(status["incarnation"], old_incarnation);
  ASSERT_TRUE(status["stream_restarted"].is_object()) << status.dump();
  EXPECT_EQ(status["stream_restarted"]["previous_incarnation"], old_incarnation);
  EXPECT_NE(status["stream_restarted"]["reason"].get<std::string>().find("lost commits"),
            std::string::npos);
  nlohmann::json row = FleetRow(chain);
  EXPECT_GE(row.value("stream_rollbacks", 0), 1) << row.dump();
  EXPECT_EQ(row["incarnation"], status["incarnation"]);
  EXPECT_NE(chain.edge(0).Log().find("lost commits"), std::string::npos);
  EXPECT_NE(chain.central().Log().find("stream went backwards"), std::string::npos);
}

// The edge's replication flags, and a view pass that waits an hour before folding: the WAL's
// last transaction is then the last events' own commit, not a fold of them that a loaded machine
// committed after it (CrashLosingTheLastCommit must undo the events).
std::vector<std::string> WithoutFolding(Chain& chain, std::vector<std::string> more = {}) {
  std::vector<std::string> args = chain.ReplicationArgs(0);
  args.insert(args.end(), {"--view-group-ms", "3600000"});
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// Kills the edge and damages its WAL as `damage` says; the edge then holds 900 events.
void CrashLosingTheLastCommit(Chain& chain, WalDamage damage) {
  chain.edge(0).Kill();
  std::string db = chain.dir().File("edge-PAR1") + "/edge.db";
  ASSERT_TRUE(LoseLastWalTransaction(db + "-wal", damage));
  fs::remove(db + "-shm");  // shared memory does not outlive a crash of the machine either
}

TEST(StreamRollbackTest, TornWalTailAfterKillNineStartsANewStreamAndLosesNothing) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  chain.ResetEdge(0, WithoutFolding(chain));
  ASSERT_TRUE(chain.StartAll());
  std::string incarnation = ReplicateThousand(chain);
  CrashLosingTheLastCommit(chain, WalDamage::kTorn);
  // Central is away while the tills go on: the edge is back at seq 1,000 when it says hello, so
  // only the ids of what central would skip can tell the stream diverged.
  ASSERT_EQ(chain.central().Stop(), 0);
  ASSERT_TRUE(chain.StartEdge(0));
  ASSERT_EQ(EdgeStatus(chain)["last_seq"], 900);
  Ingest(chain.edge(0), Sales("c", 100));
  ASSERT_TRUE(chain.StartCentral());
  ExpectNewStreamAndNothingLost(chain, incarnation);
}

TEST(StreamRollbackTest, PowerCutWithNormalDurabilityStartsANewStreamAndLosesNothing) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  chain.ResetEdge(0, WithoutFolding(chain, {"--durability", "normal"}));
  ASSERT_TRUE(chain.StartAll());
  std::string incarnation = ReplicateThousand(chain);
  CrashLosingTheLastCommit(chain, WalDamage::kZeroed);
  // Central stays up: the edge's hello (seq 900) is below central's acknowledged 1,000.
  ASSERT_TRUE(chain.StartEdge(0));
  ASSERT_EQ(EdgeStatus(chain)["last_seq"], 900);
  Ingest(chain.edge(0), Sales("c", 100));
  ExpectNewStreamAndNothingLost(chain, incarnation);
}

TEST(StreamRollbackTest, EdgeRestoredFromABackupStartsANewStreamAndLosesNothing) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartAll());
  Ingest(chain.edge(0), Sales("a", 900));
  ASSERT_EQ(chain.WaitCaughtUp(0), 900);
  std::string incarnation = EdgeStatus(chain)["incarnation"];
  ASSERT_EQ(chain.edge(0).Stop(), 0);  // the nightly backup of a stopped edge
  std::string data = chain.dir().File("edge-PAR1");
  std::string backup = chain.dir().File("backup");
  fs::copy(data, backup);
  ASSERT_TRUE(chain.StartEdge(0));
  Ingest(chain.edge(0), Sales("b", 100));
  ASSERT_EQ(chain.WaitCaughtUp(0), 1000);
  ASSERT_EQ(chain.edge(0).Stop(), 0);
  fs::remove_all(data);  // the disk died; the backup is restored
  fs::copy(backup, data);
  ASSERT_TRUE(chain.StartEdge(0));
  ASSERT_EQ(EdgeStatus(chain)["last_seq"], 900);
  Ingest(chain.edge(0), Sales("c", 100));
  ExpectNewStreamAndNothingLost(chain, incarnation);
}

// The check of the resent tail must not be skipped when central cannot apply it at first: here
// central's database is locked, so its writer answers `retry`; the edge must resend the tail, not
// go on after it.
TEST(StreamRollbackTest, ACentralRetryDuringTheTailCheckResendsTheTail) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  chain.ResetEdge(0, WithoutFolding(chain));
  ASSERT_TRUE(chain.StartAll());
  std::string incarnation = ReplicateThousand(chain);
  CrashLosingTheLastCommit(chain, WalDamage::kTorn);
  // The tills go on while the edge cannot reach central: it is back at seq 1,000 by the hello.
  chain.ResetEdge(0, {"--durability", "full"});
  ASSERT_TRUE(chain.StartEdge(0));
  ASSERT_EQ(EdgeStatus(chain)["last_seq"], 900);
  Ingest(chain.edge(0), Sales("c", 100));
  ASSERT_EQ(chain.edge(0).Stop(), 0);
  {
    SQLite::Database lock(chain.dir().File("central") + "/central.db", SQLite::OPEN_READWRITE);
    lock.exec("BEGIN IMMEDIATE");  // central's writer cannot begin: it answers retry
    chain.ResetEdge(0);
    ASSERT_TRUE(chain.StartEdge(0));
    ASSERT_TRUE(WaitUntil([&] {
      return chain.central().Log().find("cannot apply a batch of store PAR1") != std::string::npos;
    })) << chain.central().Log();
    lock.exec("ROLLBACK");
  }
  ExpectNewStreamAndNothingLost(chain, incarnation);
}

TEST(StreamRollbackTest, CentralRefusesABatchWhoseIdsContradictWhatItStored) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartCentral());
  WireClient client = chain.Wire(0);
  client.Send(wire::Hello{"PAR1", "inc-1", 10, "test"});
  auto welcome = client.Receive();
  ASSERT_TRUE(welcome && std::holds_alternative<wire::Welcome>(*welcome));
  auto first = Sales("a", 10);
  client.Send(wire::Batch{"inc-1", 1, StoredBodies(first)});
  auto ack = client.Receive();
  ASSERT_TRUE(ack && std::holds_alternative<wire::Ack>(*ack));
  ASSERT_EQ(std::get<wire::Ack>(*ack).acked_seq, 10);

  // Seqs 6–12 again, but 6–10 now hold other events: skipping them would lose them.
  auto other = Sales("b", 7);
  client.Send(wire::Batch{"inc-1", 6, StoredBodies(other)});
  auto refused = client.Receive();
  ASSERT_TRUE(refused && std::holds_alternative<wire::Error>(*refused));
  const auto& error = std::get<wire::Error>(*refused);
  EXPECT_EQ(error.code, "diverged");
  EXPECT_NE(error.message.find("seq 6"), std::string::npos) << error.message;
  EXPECT_EQ(error.acked_seq, 10);
  EXPECT_EQ(CentralTransactions(chain), 10);  // nothing of the batch stored

  // Seqs 4–12 with the ids central stored for 4–10 are a plain overlap.
  std::vector<common::Event> overlap(first.begin() + 3, first.end());
  overlap.push_back(Sale("a-new-11", 1, 100));
  overlap.push_back(Sale("a-new-12", 1, 100));
  client.Send(wire::Batch{"inc-1", 4, StoredBodies(overlap)});
  ack = client.Receive();
  ASSERT_TRUE(ack && std::holds_alternative<wire::Ack>(*ack));
  EXPECT_EQ(std::get<wire::Ack>(*ack).acked_seq, 12);
  EXPECT_EQ(CentralTransactions(chain), 12);

  nlohmann::json fleet = *GetJson(chain.central().http_port(), "/api/v1/fleet");
  EXPECT_EQ(fleet["summary"]["stream_rollbacks"], 1);
  EXPECT_EQ(fleet["stores"][0]["stream_rollbacks"], 1);
  EXPECT_NE(fleet["stores"][0]["last_rollback"]["detail"].get<std::string>().find("seq 6"),
            std::string::npos);
  bool counted = false;
  for (const auto& refusal : fleet["refusals"]) counted |= refusal["reason"] == "diverged";
  EXPECT_TRUE(counted) << fleet["refusals"].dump();
}

}  // namespace
}  // namespace storepulse::test_support
