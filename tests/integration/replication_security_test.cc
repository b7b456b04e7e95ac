// Central's door: unknown keys, keys speaking for another store, malformed frames, replayed,
// overlapping and gapped batches — refused or absorbed, never stored twice, never a crash.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

#include "common/event_codec.h"
#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"
#include "tests/support/wire_client.h"

namespace storepulse::test_support {
namespace {

namespace wire = common::wire;

nlohmann::json Fleet(Chain& chain) { return *GetJson(chain.central().http_port(), "/api/v1/fleet"); }

int64_t Transactions(Chain& chain, const std::string& scope) {
  return chain.CentralKpis(scope)[0]["transactions"];
}

TEST(ReplicationSecurityTest, UnknownKeyIsRefusedWithAReasonAnInstallerCanRead) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  MakeKeys(chain.dir().path(), "stranger");
  chain.ResetEdge(0, chain.ReplicationArgs(0, chain.dir().File("stranger.key")));
  ASSERT_TRUE(chain.StartAll());
  auto reply = PostBody(chain.edge(0).http_port(), "/api/v1/events",
                        common::EncodeJsonLines(Sales("s", 5)));
  ASSERT_TRUE(reply && reply->status == 200);  // the edge still takes events
  ASSERT_TRUE(WaitUntil([&] {
    auto status = GetJson(chain.edge(0).http_port(), "/api/v1/status");
    return status && (*status)["replication"]["last_error"].is_string() &&
           (*status)["replication"]["last_error"].get<std::string>().find("refused this edge's "
                                                                           "CURVE key") !=
               std::string::npos;
  }));
  nlohmann::json fleet = Fleet(chain);
  EXPECT_GE(fleet["summary"]["refusals"].get<int64_t>(), 1);
  EXPECT_EQ(fleet["refusals"][0]["reason"], "unknown_key");
  EXPECT_EQ(Transactions(chain, "network"), 0);
  EXPECT_NE(chain.central().Log().find("unknown_key"), std::string::npos);
}

TEST(ReplicationSecurityTest, AKeySpeakingForAnotherStoreIsRefusedAndNothingStored) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}, {"BOM1", "asia", "Asia/Kolkata"}});
  // Edge BOM1 is installed with PAR1's key.
  chain.ResetEdge(1, chain.ReplicationArgs(1, chain.dir().File("PAR1.key")));
  ASSERT_TRUE(chain.StartCentral());
  ASSERT_TRUE(chain.StartEdge(1));
  ASSERT_TRUE(PostBody(chain.edge(1).http_port(), "/api/v1/events",
                       common::EncodeJsonLines(Sales("b", 5))));
  ASSERT_TRUE(WaitUntil([&] {
    auto status = GetJson(chain.edge(1).http_port(), "/api/v1/status");
    return status && (*status)["replication"]["last_error"].is_string() &&
           (*status)["replication"]["last_error"].get<std::string>().find("wrong_store") !=
               std::string::npos;
  }));
  EXPECT_EQ(Fleet(chain)["refusals"][0]["reason"], "wrong_store");
  EXPECT_EQ(Transactions(chain, "network"), 0);
}

TEST(ReplicationSecurityTest, ReplayedOverlappingAndGappedBatchesCountExactlyOnce) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartCentral());
  WireClient client = chain.Wire(0);
  auto events = Sales("w", 30);
  client.Send(wire::Hello{"PAR1", "inc-1", 30, "test"});
  auto welcome = client.Receive();
  ASSERT_TRUE(welcome && std::holds_alternative<wire::Welcome>(*welcome));
  EXPECT_EQ(std::get<wire::Welcome>(*welcome).acked_seq, 0);
  auto send = [&](int first, int last) {  // events first..last, seq = index + 1
    client.Send(wire::Batch{"inc-1", first, StoredBodies({events.begin() + first - 1,
                                                    events.begin() + last})});
    return client.Receive();
  };
  auto ack = send(1, 10);
  ASSERT_TRUE(ack && std::holds_alternative<wire::Ack>(*ack));
  EXPECT_EQ(std::get<wire::Ack>(*ack).acked_seq, 10);
  ack = send(1, 10);  // replay
  ASSERT_TRUE(ack && std::holds_alternative<wire::Ack>(*ack));
  EXPECT_EQ(std::get<wire::Ack>(*ack).acked_seq, 10);
  ack = send(5, 20);  // overlap
  ASSERT_TRUE(ack && std::holds_alternative<wire::Ack>(*ack));
  EXPECT_EQ(std::get<wire::Ack>(*ack).acked_seq, 20);
  auto gap = send(25, 30);
  ASSERT_TRUE(gap && std::holds_alternative<wire::Error>(*gap));
  EXPECT_EQ(std::get<wire::Error>(*gap).code, "gap");
  EXPECT_EQ(std::get<wire::Error>(*gap).acked_seq, 20);
  EXPECT_EQ(Transactions(chain, "store:PAR1"), 20);
  EXPECT_EQ(chain.CentralKpis("store:PAR1")[0]["gross_sales"],
            GrossValue({events.begin(), events.begin() + 20}));
}

TEST(ReplicationSecurityTest, MalformedFramesAreRefusedAndCentralStaysUp) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartCentral());
  WireClient client = chain.Wire(0);
  auto expect_error = [&](const std::string& code) {
    auto reply = client.Receive();
    ASSERT_TRUE(reply && std::holds_alternative<wire::Error>(*reply)) << code;
    EXPECT_EQ(std::get<wire::Error>(*reply).code, code);
  };
  client.SendRaw("\xc1\xff garbage");
  expect_error("malformed");
  client.SendRaw(std::string("\x93\x07\x01\xa1x", 5));  // protocol version 7
  expect_error("version");
  client.Send(wire::Batch{"inc-1", 1, StoredBodies(Sales("x", 1))});  // batch before hello
  expect_error("unknown_stream");
  client.Send(wire::Hello{"PAR1", "inc-1", 1, "test"});
  ASSERT_TRUE(client.Receive());
  client.Send(wire::Batch{"inc-1", 1, {"not an event"}});
  expect_error("malformed");
  auto hostile = Sales("big", 1);
  hostile[0].lines[0].qty = INT64_MAX;  // would overflow the sums: refused at central too
  client.Send(wire::Batch{"inc-1", 1, StoredBodies(hostile)});
  expect_error("malformed");
  client.Send(wire::Batch{"inc-1", 1, StoredBodies(Sales("good", 1))});
  auto ack = client.Receive();
  ASSERT_TRUE(ack && std::holds_alternative<wire::Ack>(*ack));
  EXPECT_EQ(Transactions(chain, "network"), 1);
  EXPECT_GE(Fleet(chain)["summary"]["refusals"].get<int64_t>(), 5);
}

TEST(ReplicationSecurityTest, StoresFileIsReReadOnSighup) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  std::string full = chain.StoresFileText();
  std::ofstream(chain.dir().File("stores.csv")) << "store,public_key,name,region,timezone,area_m2\n";
  ASSERT_TRUE(chain.StartAll());
  ASSERT_TRUE(PostBody(chain.edge(0).http_port(), "/api/v1/events",
                       common::EncodeJsonLines(Sales("h", 3))));
  ASSERT_TRUE(WaitUntil([&] { return Fleet(chain)["summary"]["refusals"] > 0; }));
  std::ofstream(chain.dir().File("stores.csv")) << full;
  chain.central().Signal(SIGHUP);
  ASSERT_EQ(chain.WaitCaughtUp(0), 3);
  EXPECT_EQ(Transactions(chain, "store:PAR1"), 3);
}

}  // namespace
}  // namespace storepulse::test_support
