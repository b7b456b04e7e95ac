// Central's disk fills while an edge replicates: central.db is on a small tmpfs of central's own
// (tests/faults/disk_fill.h). Central must refuse the batches it cannot store with a reason the
// fleet shows, never acknowledge what it did not store, not spin (the edge waits before it sends
// again), and resume by itself once there is room: then every event counts at central exactly
// once. Needs root with CAP_SYS_ADMIN (a mount namespace): skipped, saying why, otherwise.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/faults/disk_fill.h"
#include "tests/integration/chain.h"
#include "tests/integration/chain_calls.h"
#include "tests/integration/test_events.h"

namespace storepulse::test_support {
namespace {

// CPU time (user + system) a process used so far, in seconds.
double CpuSeconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
  }
  return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}

int Occurrences(const std::string& text, const std::string& what) {
  int count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

nlohmann::json Fleet(Chain& chain) {
  return GetJson(chain.central().http_port(), "/api/v1/fleet").value_or(nlohmann::json::object());
}

// The severity of the raised alert `id`, "" when it is not raised.
std::string Raised(Chain& chain, const std::string& id) {
  auto alerts = GetJson(chain.central().http_port(), "/api/v1/alerts");
  if (!alerts) return "";
  for (const auto& alert : (*alerts)["alerts"]) {
    if (alert["id"] == id) return alert["severity"];
  }
  return "";
}

TEST(CentralDiskFullTest, CentralRefusesWhatItCannotStoreShowsWhyAndResumes) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, {"--alert-interval-s", "1"});
  const std::string data_dir = chain.dir().File("central");
  if (std::string why = CannotMountTmpfs(data_dir); !why.empty()) GTEST_SKIP() << why;
  chain.central().set_launcher(OnOwnTmpfs(data_dir, 24));
  ASSERT_TRUE(chain.StartAll());
  const std::string disk = AsSeenBy(chain.central().pid(), data_dir);
  Ingest(chain.edge(0), Sales("a", 500));
  ASSERT_EQ(chain.WaitCaughtUp(0), 500);

  ASSERT_TRUE(LeaveRoom(disk, 128 * 1024));
  Ingest(chain.edge(0), BulkySales("b", 3000));  // about 6 MB: more than central has room for
  ASSERT_TRUE(WaitUntil([&] {
    return chain.central().Log().find("disk full") != std::string::npos;
  })) << chain.central().Log();

  // While the disk is full: nothing acknowledged that central does not count, and no busy loop.
  const double central_cpu = CpuSeconds(chain.central().pid());
  const double edge_cpu = CpuSeconds(chain.edge(0).pid());
  const auto start = std::chrono::steady_clock::now();
  int64_t acked = 0;
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(3)) {
    acked = EdgeStatus(chain)["replication"].value("acked_seq", int64_t{0});
    const int64_t counted = CentralTransactions(chain);
    ASSERT_LE(acked, counted) << "the edge was acknowledged events central does not count";
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_LT(acked, 3500);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double central_busy = (CpuSeconds(chain.central().pid()) - central_cpu) / seconds;
  const double edge_busy = (CpuSeconds(chain.edge(0).pid()) - edge_cpu) / seconds;
  std::cout << "while central's disk is full: central busy " << central_busy << ", edge busy "
            << edge_busy << " of a core\n";
  EXPECT_LT(central_busy, 0.2);
  EXPECT_LT(edge_busy, 0.2);
  // Said once, not once per resend.
  EXPECT_EQ(Occurrences(chain.central().Log(), "cannot apply a batch"), 1) << chain.central().Log();

  // What the on-call engineer sees: the fleet's central.storage, /metrics, an alert, the edge.
  nlohmann::json storage = Fleet(chain)["central"]["storage"];
  EXPECT_EQ(storage["storing"], false) << storage.dump();
  EXPECT_EQ(storage["disk_full"], true) << storage.dump();
  EXPECT_NE(storage.value("reason", "").find("central.db has no room left"), std::string::npos)
      << storage.dump();
  EXPECT_GT(storage.value("refused_batches", 0), 0);
  EXPECT_EQ(Metric(chain.central().http_port(), "storepulse_central_storing"), 0);
  EXPECT_TRUE(WaitUntil([&] { return Raised(chain, "central_not_storing") == "critical"; }))
      << GetJson(chain.central().http_port(), "/api/v1/alerts")->dump();
  EXPECT_NE(EdgeStatus(chain)["replication"].value("last_error", "").find("disk full"),
            std::string::npos)
      << EdgeStatus(chain)["replication"].dump();

  RemoveFiller(disk);
  EXPECT_EQ(chain.WaitCaughtUp(0), 3500);
  EXPECT_EQ(CentralTransactions(chain), 3500);
  EXPECT_EQ(WithoutArea(chain.CentralKpis("store:PAR1")), WithoutArea(chain.EdgeKpis(0)));
  // Resumed by itself, and said so everywhere.
  EXPECT_EQ(Fleet(chain)["central"]["storage"]["storing"], true);
  EXPECT_EQ(Metric(chain.central().http_port(), "storepulse_central_storing"), 1);
  EXPECT_TRUE(WaitUntil([&] { return Raised(chain, "central_not_storing").empty(); }));
  EXPECT_TRUE(EdgeStatus(chain)["replication"]["last_error"].is_null());
  EXPECT_NE(chain.central().Log().find("central stores again"), std::string::npos);
}

}  // namespace
}  // namespace storepulse::test_support
