// An edge whose connection dies without a word — its store lost power, a 4G carrier's NAT dropped
// the flow, a link died for longer than the kernel retries a FIN — must not leave that connection
// open at central for ever: the edge comes back on a new connection, and central kept the old
// socket (an fd and a ZeroMQ pipe) with nothing to notice it was dead, one more per such event.
// Central now turns TCP keepalive on for its edges' connections: a peer that answers nothing is
// closed (docs/PROTOCOL.md, failure table). The test runs in a network namespace of its own
// (unshare(CLONE_NEWNET): only a loopback) where an nftables rule makes the old connection's
// packets vanish both ways; without root it is skipped.
#include <gtest/gtest.h>
#include <sched.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "common/event_codec.h"
#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"
#include "tests/support/process.h"

namespace storepulse::test_support {
namespace {

struct Connection {
  int local_port = 0;
  int remote_port = 0;
};

// ESTABLISHED TCP connections in this namespace (loopback: both ends of each appear).
std::vector<Connection> Established() {
  std::vector<Connection> list;
  std::ifstream in("/proc/self/net/tcp");
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    fields >> slot >> local >> remote >> state;
    if (state != "01") continue;
    list.push_back({std::stoi(local.substr(local.rfind(':') + 1), nullptr, 16),
                    std::stoi(remote.substr(remote.rfind(':') + 1), nullptr, 16)});
  }
  return list;
}

int CentralSideCount(int port) {
  int n = 0;
  for (const Connection& c : Established()) n += c.local_port == port;
  return n;
}

std::string TcpTable() {
  std::ifstream in("/proc/self/net/tcp");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool Sh(const std::string& command) {
  auto result = RunProcess({"sh", "-c", command}, std::chrono::seconds(10));
  return result.ok() && result->exit_status == 0;
}

TEST(SilentEdgeTest, CentralClosesTheConnectionOfAnEdgeThatVanished) {
  // A namespace of this test process's own (ctest runs each test in a process of its own).
  if (unshare(CLONE_NEWNET) != 0 || !Sh("ip link set lo up") ||
      !Sh("nft add table inet silent_edge && nft add chain inet silent_edge out "
          "'{ type filter hook output priority 0 ; }'")) {
    GTEST_SKIP() << "needs root, a network namespace (unshare) and nftables";
  }
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartAll());
  ASSERT_EQ(chain.WaitCaughtUp(0), 0);
  const std::string endpoint = chain.central().endpoint();
  const int port = std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
  int edge_port = 0;
  ASSERT_TRUE(WaitUntil([&] {
    for (const Connection& c : Established()) {
      if (c.remote_port == port) edge_port = c.local_port;
    }
    return edge_port != 0 && CentralSideCount(port) == 1;
  }));
  // The old connection's packets vanish both ways, for ever; the edge dies without its FIN
  // reaching central, and comes back on a new connection.
  const std::string p = std::to_string(edge_port);
  ASSERT_TRUE(Sh("nft add rule inet silent_edge out tcp sport " + p + " drop && "
                 "nft add rule inet silent_edge out tcp dport " + p + " drop"));
  chain.edge(0).Kill();
  ASSERT_TRUE(chain.StartEdge(0));
  auto reply = PostBody(chain.edge(0).http_port(), "/api/v1/events",
                        common::EncodeJsonLines(Sales("vanished", 3)));
  ASSERT_TRUE(reply && reply->status == 200);
  EXPECT_EQ(chain.WaitCaughtUp(0), 3);
  // Central holds the new connection only, once keepalive has given up on the old one.
  EXPECT_TRUE(WaitUntil([&] { return CentralSideCount(port) == 1; }, std::chrono::seconds(60)))
      << CentralSideCount(port) << " connections open at central 60 s after the edge vanished:\n"
      << TcpTable();
}

}  // namespace
}  // namespace storepulse::test_support
