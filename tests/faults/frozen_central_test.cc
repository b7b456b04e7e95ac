// A central that stops answering (SIGSTOP: frozen, swapped out, overloaded) is not a wrong key: the
// edge tells a handshake that timed out from one central cut short, and says what to check.
#include <gtest/gtest.h>

#include <csignal>

#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"

namespace storepulse::test_support {
namespace {

std::string LastError(Chain& chain) {
  auto status = GetJson(chain.edge(0).http_port(), "/api/v1/status");
  if (!status) return "";
  const auto& error = (*status)["replication"]["last_error"];
  return error.is_string() ? error.get<std::string>() : "";
}

TEST(FrozenCentralTest, AHandshakeThatTimesOutIsNotReportedAsAWrongKey) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartAll());
  ASSERT_EQ(chain.WaitCaughtUp(0), 0);
  chain.central().Signal(SIGSTOP);
  // ZeroMQ's heartbeat drops the dead connection (6 s); the new one's handshake then times out
  // (10 s), while the kernel keeps accepting TCP connections for the stopped process.
  bool diagnosed = WaitUntil([&] { return LastError(chain).find("handshake within") !=
                                          std::string::npos; },
                             std::chrono::seconds(40));
  std::string error = LastError(chain);
  chain.central().Signal(SIGCONT);
  ASSERT_TRUE(diagnosed) << "last_error: " << error;
  EXPECT_NE(error.find("is storepulse-central running"), std::string::npos) << error;
  EXPECT_EQ(error.find("--central-public-key"), std::string::npos) << error;
  // Once central runs again the edge streams again.
  EXPECT_TRUE(WaitUntil([&] { return LastError(chain).empty(); }, std::chrono::seconds(40)))
      << LastError(chain);
}

TEST(FrozenCentralTest, AWrongCentralKeyStillPointsAtTheKey) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartCentral());
  std::vector<std::string> args = chain.ReplicationArgs(0);
  MakeKeys(chain.dir().path(), "impostor");  // a key pair that is not central's
  args[3] = chain.dir().File("impostor.pub");
  chain.ResetEdge(0, args);
  ASSERT_TRUE(chain.StartEdge(0));
  EXPECT_TRUE(WaitUntil([&] { return LastError(chain).find("--central-public-key") !=
                                     std::string::npos; },
                        std::chrono::seconds(20)))
      << LastError(chain);
}

}  // namespace
}  // namespace storepulse::test_support
