// Central behind what it acknowledged (issue 10): central's database lost and recreated empty, or
// restored from an older copy. Every edge finds central's welcome below the seq central had
// acknowledged, re-sends from central's position what it still holds, says so once in its log and
// counts it in its status; central's totals end equal to the edges'.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/integration/chain.h"
#include "tests/integration/chain_calls.h"
#include "tests/integration/test_events.h"

namespace storepulse::test_support {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBehindWarning = "is behind what it acknowledged";

std::vector<StoreSpec> TwoStores() {
  return {{"PAR1", "north", "Europe/Paris"}, {"BOM1", "asia", "Asia/Kolkata"}};
}

size_t Occurrences(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

// The first line of `text` holding `what`; empty when none does.
std::string LineWith(const std::string& text, const std::string& what) {
  const size_t at = text.find(what);
  if (at == std::string::npos) return "";
  const size_t begin = text.rfind('\n', at) == std::string::npos ? 0 : text.rfind('\n', at) + 1;
  return text.substr(begin, text.find('\n', at) - begin);
}

nlohmann::json Replication(EdgeNode& edge) {
  auto status = GetJson(edge.http_port(), "/api/v1/status");
  return status ? (*status)["replication"] : nlohmann::json::object();
}

// Central's rows less sales_per_m2: the sales area is known from central's stores file only.
nlohmann::json WithoutArea(nlohmann::json rows) {
  for (auto& row : rows) row.erase("sales_per_m2");
  return rows;
}

// Waits until central counts `transactions[i]` for store i and each edge is caught up again, then
// expects each store's KPIs at central equal to its edge's.
void ExpectCentralEqualsEdges(Chain& chain, const std::vector<int64_t>& transactions) {
  for (size_t i = 0; i < transactions.size(); ++i) {
    const std::string store = chain.spec(i).store;
    EXPECT_TRUE(WaitUntil([&] { return CentralTransactions(chain, store) == transactions[i]; },
                          std::chrono::seconds(60)))
        << store << ": central counts " << CentralTransactions(chain, store);
    EXPECT_EQ(chain.WaitCaughtUp(i), transactions[i]);
    for (const char* by : {"total", "day", "hour", "sku"}) {
      EXPECT_EQ(WithoutArea(chain.EdgeKpis(i, by)),
                WithoutArea(chain.CentralKpis("store:" + store, by)))
          << store << " by " << by;
    }
  }
}

// Each edge logged the re-send once (naming central's position, the seq central had acknowledged
// and the events re-sent), and counts it in its status.
void ExpectOneResendLogged(Chain& chain, size_t i, int64_t central_seq, int64_t acked_before) {
  const std::string log = chain.edge(i).Log();
  EXPECT_EQ(Occurrences(log, kBehindWarning), 1u) << log;
  const std::string line = LineWith(log, kBehindWarning);
  EXPECT_NE(line.find("seq " + std::to_string(central_seq)), std::string::npos) << line;
  EXPECT_NE(line.find("seq " + std::to_string(acked_before)), std::string::npos) << line;
  EXPECT_NE(line.find("re-sending " + std::to_string(acked_before - central_seq) + " events"),
            std::string::npos)
      << line;
  nlohmann::json replication = Replication(chain.edge(i));
  EXPECT_EQ(replication.value("central_behind", int64_t{0}), 1) << replication.dump();
  ASSERT_TRUE(replication["last_central_behind"].is_object()) << replication.dump();
  EXPECT_EQ(replication["last_central_behind"]["central_acked_seq"], central_seq);
  EXPECT_EQ(replication["last_central_behind"]["acked_seq_before"], acked_before);
  EXPECT_EQ(replication["last_central_behind"]["resent_events"], acked_before - central_seq);
}

TEST(CentralRecoveryTest, CentralsDatabaseLostTheEdgesResendWhatTheyRetain) {
  Chain chain(TwoStores());
  ASSERT_TRUE(chain.StartAll());
  Ingest(chain.edge(0), Sales("a", 1500));
  Ingest(chain.edge(1), Sales("b", 800));
  ASSERT_EQ(chain.WaitCaughtUp(0), 1500);
  ASSERT_EQ(chain.WaitCaughtUp(1), 800);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(Replication(chain.edge(i)).value("central_behind", int64_t{0}), 0);
  }

  ASSERT_EQ(chain.central().Stop(), 0);
  fs::remove_all(chain.dir().File("central"));  // the disk died; no backup
  ASSERT_TRUE(chain.StartCentral());            // a new, empty database
  ExpectCentralEqualsEdges(chain, {1500, 800});
  EXPECT_EQ(chain.CentralKpis("network")[0]["transactions"], 2300);
  ExpectOneResendLogged(chain, 0, 0, 1500);
  ExpectOneResendLogged(chain, 1, 0, 800);
}

TEST(CentralRecoveryTest, CentralRestoredFromAnOlderCopyGetsTheDifferenceResent) {
  Chain chain(TwoStores());
  ASSERT_TRUE(chain.StartAll());
  Ingest(chain.edge(0), Sales("a", 600));
  Ingest(chain.edge(1), Sales("b", 200));
  ASSERT_EQ(chain.WaitCaughtUp(0), 600);
  ASSERT_EQ(chain.WaitCaughtUp(1), 200);
  ASSERT_EQ(chain.central().Stop(), 0);  // a consistent copy: central stopped
  const std::string data = chain.dir().File("central");
  const std::string backup = chain.dir().File("central-backup");
  fs::copy(data, backup, fs::copy_options::recursive);
  ASSERT_TRUE(chain.StartCentral());

  Ingest(chain.edge(0), Sales("c", 400));
  Ingest(chain.edge(1), Sales("d", 300));
  ASSERT_EQ(chain.WaitCaughtUp(0), 1000);
  ASSERT_EQ(chain.WaitCaughtUp(1), 500);
  ASSERT_EQ(chain.central().Stop(), 0);
  fs::remove_all(data);  // the restore
  fs::copy(backup, data, fs::copy_options::recursive);
  ASSERT_TRUE(chain.StartCentral());
  ExpectCentralEqualsEdges(chain, {1000, 500});
  EXPECT_EQ(chain.CentralKpis("network")[0]["transactions"], 1500);
  ExpectOneResendLogged(chain, 0, 600, 1000);
  ExpectOneResendLogged(chain, 1, 200, 500);
}

}  // namespace
}  // namespace storepulse::test_support
