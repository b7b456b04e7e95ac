// Retention (SPEC §4) with the real daemons: an edge whose oldest events were pruned keeps
// replicating — the acknowledged tail resent after a welcome may be partly pruned, and a new
// incarnation streams from the first event kept — and central counts every event once.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "common/event_codec.h"
#include "common/sim/store_simulator.h"
#include "common/time_util.h"
#include "edge/event_pruning.h"
#include "edge/event_store.h"
#include "tests/integration/chain.h"
#include "tests/integration/chain_calls.h"
#include "tests/integration/test_events.h"
#include "tests/support/http_probe.h"
#include "tests/support/wire_client.h"

namespace storepulse::test_support {
namespace {

namespace fs = std::filesystem;
namespace wire = common::wire;

int64_t StreamRollbacks(Chain& chain) {
  auto fleet = GetJson(chain.central().http_port(), "/api/v1/fleet");
  return fleet ? (*fleet)["stores"][0].value("stream_rollbacks", int64_t{0}) : -1;
}

std::string EdgeDir(Chain& chain) { return chain.dir().File("edge-PAR1"); }

// Stops the edge once its views have folded every event (retention never prunes past them).
void StopFolded(Chain& chain) {
  EXPECT_TRUE(WaitUntil([&] { return EdgeStatus(chain)["views"]["pending_events"] == 0; }));
  ASSERT_EQ(chain.edge(0).Stop(), 0);
}

// What retention does once the events are old enough, done to a stopped edge: every event up to
// `through` (never the newest) is deleted.
void PruneStoppedEdge(Chain& chain, int64_t through) {
  SQLite::Database db(EdgeDir(chain) + "/edge.db", SQLite::OPEN_READWRITE);
  auto step = edge::PruneEvents(db, through, INT64_MAX, 1'000'000);
  ASSERT_TRUE(step.ok()) << step.status().message();
  ASSERT_EQ(step->pruned_through, through);
}

// After a welcome the edge resends the last 100 events central acknowledged, for central to check
// their ids. Here half of them were pruned: the check covers the ones kept, the stream goes on.
TEST(RetentionTest, ARestartAfterTheAcknowledgedTailWasPrunedKeepsTheStream) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartAll());
  Ingest(chain.edge(0), Sales("a", 1000));
  ASSERT_EQ(chain.WaitCaughtUp(0), 1000);
  const std::string incarnation = EdgeStatus(chain)["incarnation"];
  StopFolded(chain);
  PruneStoppedEdge(chain, 950);  // the tail central checks, 901–1000, is half gone
  ASSERT_TRUE(chain.StartEdge(0));
  Ingest(chain.edge(0), Sales("b", 100));
  EXPECT_EQ(chain.WaitCaughtUp(0), 1100);
  EXPECT_EQ(CentralTransactions(chain), 1100);
  nlohmann::json status = EdgeStatus(chain);
  EXPECT_EQ(status["incarnation"], incarnation);
  EXPECT_TRUE(status["stream_restarted"].is_null()) << status.dump();
  EXPECT_EQ(StreamRollbacks(chain), 0);
  nlohmann::json edge = chain.EdgeKpis(0);
  nlohmann::json central = chain.CentralKpis("store:PAR1");
  edge[0].erase("sales_per_m2");  // central alone knows the sales area
  central[0].erase("sales_per_m2");
  EXPECT_EQ(edge, central);
}

// An edge restored from a backup that retention had pruned starts a new incarnation and streams
// "from seq 1": from the first event it kept. Central moves past the pruned seqs (it holds those
// events from the earlier stream), counts only what it lacks, and the new stream stays sound: a
// later restart checks its tail and finds it whole.
TEST(RetentionTest, ANewIncarnationAfterPruningStreamsFromTheFirstEventKept) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartAll());
  Ingest(chain.edge(0), Sales("a", 900));
  ASSERT_EQ(chain.WaitCaughtUp(0), 900);
  const std::string first_incarnation = EdgeStatus(chain)["incarnation"];
  StopFolded(chain);
  PruneStoppedEdge(chain, 850);
  const std::string backup = chain.dir().File("backup");
  fs::copy(EdgeDir(chain), backup);  // the nightly backup of a stopped, pruned edge
  ASSERT_TRUE(chain.StartEdge(0));
  Ingest(chain.edge(0), Sales("b", 100));
  ASSERT_EQ(chain.WaitCaughtUp(0), 1000);
  ASSERT_EQ(chain.edge(0).Stop(), 0);
  fs::remove_all(EdgeDir(chain));  // the disk died; the backup is restored
  fs::copy(backup, EdgeDir(chain));
  ASSERT_TRUE(chain.StartEdge(0));
  ASSERT_EQ(EdgeStatus(chain)["last_seq"], 900);
  Ingest(chain.edge(0), Sales("c", 100));
  EXPECT_TRUE(
      WaitUntil([&] { return CentralTransactions(chain) == 1100; }, std::chrono::seconds(60)))
      << "central counts " << CentralTransactions(chain) << " transactions";
  EXPECT_EQ(chain.WaitCaughtUp(0), 1000);
  nlohmann::json status = EdgeStatus(chain);
  const std::string second_incarnation = status["incarnation"];
  EXPECT_NE(second_incarnation, first_incarnation);
  ASSERT_TRUE(status["stream_restarted"].is_object()) << status.dump();
  EXPECT_EQ(status["stream_restarted"]["previous_incarnation"], first_incarnation);
  EXPECT_NE(chain.central().Log().find("pruned at the edge"), std::string::npos);

  ASSERT_EQ(chain.edge(0).Stop(), 0);
  ASSERT_TRUE(chain.StartEdge(0));
  Ingest(chain.edge(0), Sales("d", 10));
  EXPECT_EQ(chain.WaitCaughtUp(0), 1010);
  EXPECT_EQ(CentralTransactions(chain), 1110);
  EXPECT_EQ(EdgeStatus(chain)["incarnation"], second_incarnation);
  EXPECT_EQ(StreamRollbacks(chain), 1);  // the restore, not the restart
}

// Fills a stopped edge's database, as a store's history: three January days of simulated traffic
// (each day stored on its evening) and then 5 sales of today. The number of January events.
int64_t StoreHistory(Chain& chain) {
  auto zone = *common::TimeZone::Load("Europe/Paris");
  auto store = edge::EventStore::Open(EdgeDir(chain), "PAR1", zone, edge::Durability::kFull);
  EXPECT_TRUE(store.ok()) << store.status().message();
  if (!store.ok()) return 0;
  auto append = [&](const std::vector<common::Event>& events, int64_t received_ms) {
    std::vector<edge::AppendOutcome> outcomes;
    auto group = (*store)->BeginGroup();
    ASSERT_TRUE(group.ok());
    EXPECT_TRUE(group->Append(events, received_ms, &outcomes).ok());
    EXPECT_TRUE(group->Commit().ok());
  };
  auto sim = common::StoreSimulator::Create({"PAR1", zone, 0.3, 11});
  EXPECT_TRUE(sim.ok());
  const int64_t day_ms = 86'400'000;
  const int64_t january = *common::ParseRfc3339("2026-01-12T00:00:00Z");
  for (int64_t day = january; day < january + 3 * day_ms; day += day_ms) {
    append(sim->Generate(day, day + day_ms), day + day_ms - 1000);
  }
  const int64_t old_events = (*store)->info().last_seq;
  append(Sales("today", 5), NowMs());
  return old_events;
}

const std::vector<std::string> kGrains = {"total", "day", "hour", "channel", "employee", "sku"};

// The daemon's own retention: nothing goes while central has not acknowledged it; then the January
// events go (their KPIs stay, at every grain), today's stay, and the stream goes on over restarts.
TEST(RetentionTest, TheEdgePrunesOnlyWhatCentralAcknowledgedAndItsKpisStay) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  const int64_t old_events = StoreHistory(chain);
  ASSERT_GT(old_events, 1000);
  ASSERT_TRUE(chain.StartEdge(0));  // central is not up yet: nothing is acknowledged
  ASSERT_TRUE(WaitUntil([&] { return !EdgeStatus(chain)["retention"]["last_pass"].is_null(); }))
      << EdgeStatus(chain).dump();
  nlohmann::json retention = EdgeStatus(chain)["retention"];
  EXPECT_EQ(retention["days"], 90);
  EXPECT_EQ(retention["active"], true);
  EXPECT_EQ(retention["events_pruned"], 0);
  EXPECT_EQ(retention["pruned_through_seq"], 0);
  EXPECT_EQ(retention["oldest_event_received"], "2026-01-12T23:59:59.000Z");
  ASSERT_TRUE(chain.WaitViewsFolded());  // the answers of the views alone, sketches included
  std::vector<nlohmann::json> before;
  for (const std::string& by : kGrains) before.push_back(chain.EdgeKpis(0, by));

  ASSERT_TRUE(chain.StartCentral());
  ASSERT_EQ(chain.WaitCaughtUp(0), old_events + 5);
  ASSERT_TRUE(WaitUntil([&] {
    return EdgeStatus(chain)["retention"]["pruned_through_seq"] == old_events;
  })) << EdgeStatus(chain).dump();
  retention = EdgeStatus(chain)["retention"];
  EXPECT_EQ(retention["events_pruned"], old_events);
  EXPECT_TRUE(retention["last_error"].is_null()) << retention.dump();
  auto metrics = HttpGet("127.0.0.1", chain.edge(0).http_port(), "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("storepulse_edge_events_pruned_total " + std::to_string(old_events)),
            std::string::npos);
  for (size_t i = 0; i < kGrains.size(); ++i) {
    EXPECT_EQ(chain.EdgeKpis(0, kGrains[i]), before[i]) << "by=" << kGrains[i];
  }

  // A restart: the tail central checks is mostly pruned; the stream goes on as it was.
  const std::string incarnation = EdgeStatus(chain)["incarnation"];
  ASSERT_EQ(chain.edge(0).Stop(), 0);
  ASSERT_TRUE(chain.StartEdge(0));
  Ingest(chain.edge(0), Sales("later", 10));
  EXPECT_EQ(chain.WaitCaughtUp(0), old_events + 15);
  nlohmann::json status = EdgeStatus(chain);
  EXPECT_EQ(status["incarnation"], incarnation);
  EXPECT_TRUE(status["stream_restarted"].is_null()) << status.dump();
  EXPECT_EQ(StreamRollbacks(chain), 0);
  EXPECT_EQ(CentralTransactions(chain), before[0][0]["transactions"].get<int64_t>() + 10);
  EXPECT_EQ(chain.EdgeKpis(0, "day")[0], before[1][0]);  // 12 January, from the views
}

// Central's database lost (issue 10): the edge re-sends what it retains, and retention never
// prunes past central's new position meanwhile. The first loss happens while the edge still holds
// every event (it ran with a retention longer than their age): all of them reach the new central,
// then retention prunes January behind central's acks. The second loss comes after that pruning:
// the new central gets back today's events only — January is lost to central for good, and the
// edge says so once.
TEST(RetentionTest, CentralsLostDatabaseGetsBackWhatTheEdgeRetains) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  const int64_t old_events = StoreHistory(chain);
  std::vector<std::string> keep_all = chain.ReplicationArgs(0);
  keep_all.insert(keep_all.end(), {"--retention-days", "36500"});
  chain.ResetEdge(0, keep_all);
  ASSERT_TRUE(chain.StartAll());
  ASSERT_EQ(chain.WaitCaughtUp(0), old_events + 5);
  ASSERT_TRUE(chain.WaitViewsFolded());
  const nlohmann::json edge_total = chain.EdgeKpis(0);
  EXPECT_EQ(EdgeStatus(chain)["retention"]["events_pruned"], 0);
  StopFolded(chain);

  const std::string central_dir = chain.dir().File("central");
  ASSERT_EQ(chain.central().Stop(), 0);
  fs::remove_all(central_dir);
  ASSERT_TRUE(chain.StartCentral());
  chain.ResetEdge(0);  // the default retention, 90 days: January may go once central has it
  ASSERT_TRUE(chain.StartEdge(0));
  EXPECT_TRUE(WaitUntil([&] {
    return EdgeStatus(chain)["retention"]["pruned_through_seq"] == old_events;
  }, std::chrono::seconds(60))) << EdgeStatus(chain).dump();
  EXPECT_EQ(chain.WaitCaughtUp(0), old_events + 5);
  EXPECT_EQ(chain.CentralKpis("store:PAR1")[0]["transactions"], edge_total[0]["transactions"]);

  ASSERT_EQ(chain.central().Stop(), 0);  // lost again, now that January is pruned at the edge
  fs::remove_all(central_dir);
  ASSERT_TRUE(chain.StartCentral());
  EXPECT_TRUE(WaitUntil([&] { return CentralTransactions(chain) == 5; }, std::chrono::seconds(60)))
      << "central counts " << CentralTransactions(chain);
  EXPECT_EQ(chain.WaitCaughtUp(0), old_events + 5);
  EXPECT_EQ(CentralTransactions(chain), 5);
  EXPECT_EQ(chain.EdgeKpis(0), edge_total);  // the edge's own KPIs keep January
  const std::string log = chain.edge(0).Log();
  const size_t warning = log.find("is behind what it acknowledged");
  ASSERT_NE(warning, std::string::npos) << log;
  EXPECT_EQ(log.find("is behind what it acknowledged", warning + 1), std::string::npos) << log;
  const std::string line = log.substr(warning, log.find('\n', warning) - warning);
  EXPECT_NE(line.find("re-sending 5 events"), std::string::npos) << line;
  EXPECT_NE(line.find("seqs 1-" + std::to_string(old_events) + " were pruned"), std::string::npos)
      << line;
  nlohmann::json replication = EdgeStatus(chain)["replication"];
  EXPECT_EQ(replication["central_behind"], 1) << replication.dump();
  EXPECT_EQ(replication["last_central_behind"]["resent_events"], 5) << replication.dump();
  EXPECT_NE(chain.central().Log().find("pruned at the edge"), std::string::npos);
}

// The protocol's part: a batch that says the seqs before it were pruned at the edge is no gap;
// one that does not is. pruned_to must stay below the batch's first seq.
TEST(RetentionTest, CentralMovesPastSeqsTheEdgeSaysItPruned) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartCentral());
  WireClient client = chain.Wire(0);
  client.Send(wire::Hello{"PAR1", "inc-1", 60, "test"});
  auto welcome = client.Receive();
  ASSERT_TRUE(welcome && std::holds_alternative<wire::Welcome>(*welcome));
  ASSERT_EQ(std::get<wire::Welcome>(*welcome).acked_seq, 0);

  const std::vector<std::string> bodies = StoredBodies(Sales("a", 10));
  client.Send(wire::Batch{"inc-1", 51, bodies});
  auto gap = client.Receive();
  ASSERT_TRUE(gap && std::holds_alternative<wire::Error>(*gap));
  EXPECT_EQ(std::get<wire::Error>(*gap).code, "gap");

  client.Send(wire::Batch{"inc-1", 51, bodies, /*pruned_to=*/51});
  auto malformed = client.Receive();
  ASSERT_TRUE(malformed && std::holds_alternative<wire::Error>(*malformed));
  EXPECT_EQ(std::get<wire::Error>(*malformed).code, "malformed");
  EXPECT_NE(std::get<wire::Error>(*malformed).message.find("pruned_to"), std::string::npos);
  EXPECT_EQ(CentralTransactions(chain), 0);

  client.Send(wire::Batch{"inc-1", 51, bodies, /*pruned_to=*/50});
  auto ack = client.Receive();
  ASSERT_TRUE(ack && std::holds_alternative<wire::Ack>(*ack));
  EXPECT_EQ(std::get<wire::Ack>(*ack).acked_seq, 60);
  EXPECT_EQ(CentralTransactions(chain), 10);
  EXPECT_NE(chain.central().Log().find("seqs 1-50 were pruned at the edge"), std::string::npos)
      << chain.central().Log();
}

}  // namespace
}  // namespace storepulse::test_support
