// A link whose round trip is seconds (a congested 4G link, bufferbloat) is slow, not broken: the
// edge must get through the CURVE handshake over it and stream. Here on loopback, through a
// FaultProxy that delays every byte; the network fault suite (tests/faults/net/, as root) runs the
// same over a veth with traffic for a minute (docs/RELIABILITY.md, "Network faults").
#include <gtest/gtest.h>

#include "tests/integration/chain.h"
#include "tests/integration/chain_calls.h"
#include "tests/integration/test_events.h"
#include "tests/support/fault_proxy.h"

namespace storepulse::test_support {
namespace {

TEST(SlowLinkTest, AHandshakeSlowerThanTheFirstTimeLimitStillSucceeds) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartCentral());
  const std::string central = chain.central().endpoint();
  auto proxy = FaultProxy::Start(
      {"", "127.0.0.1", 0, "127.0.0.1", std::stoi(central.substr(central.rfind(':') + 1))});
  ASSERT_TRUE(proxy.ok()) << proxy.status().message();
  // 1.5 s each way: the handshake's four round trips take about 12 s, over the first 10 s limit.
  (*proxy)->SetDelay(std::chrono::milliseconds(1500));
  std::vector<std::string> args = chain.ReplicationArgs(0);
  args[1] = "tcp://127.0.0.1:" + std::to_string((*proxy)->port());
  chain.ResetEdge(0, args);
  ASSERT_TRUE(chain.StartEdge(0));
  Ingest(chain.edge(0), Sales("slow", 20));
  EXPECT_EQ(chain.WaitCaughtUp(0, std::chrono::seconds(60)), 20)
      << EdgeStatus(chain)["replication"].dump();
  EXPECT_EQ(CentralTransactions(chain), 20);
}

}  // namespace
}  // namespace storepulse::test_support
