// The central-side commands against the real daemons on 127.0.0.1: keys made by `storepulse
// keygen`, a storepulse-central with a stores file, one storepulse-edge replicating to it, events
// imported with `storepulse ingest`; then `storepulse network` and `storepulse fleet` read them,
// and once central is stopped `storepulse fleet` says it cannot reach it.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/kpi/measures.h"
#include "common/time_util.h"
#include "tests/support/nodes.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;
using std::chrono::seconds;
using test_support::RunResult;

constexpr int64_t kMinute = 60'000;

RunResult Cli(std::vector<std::string> args) {
  args.insert(args.begin(), STOREPULSE_CLI_BIN);
  auto result = test_support::RunProcess(args, seconds(60));
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  if (!result.ok()) return {};
  EXPECT_FALSE(result->timed_out);
  return *result;
}

std::string FirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// Polls `condition` until it holds or `deadline` passes.
bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

class CentralIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Cli({"keygen", "--out", dir_.File("central"), "--central"}).exit_status, 0);
    ASSERT_EQ(Cli({"keygen", "--out", dir_.File("S1"), "--store", "S1"}).exit_status, 0);
    dir_.Write("stores.csv", "store,public_key,name,region,timezone,area_m2\nS1," +
                                 FirstLine(dir_.File("S1.pub")) +
                                 ",Paris Rivoli,FR-North,Europe/Paris,850\n");
    central_ = std::make_unique<test_support::CentralNode>(test_support::CentralNode::Options{
        dir_.File("central-data"), dir_.File("central.key"), dir_.File("stores.csv"), {}});
    edge_ = std::make_unique<test_support::EdgeNode>(test_support::EdgeNode::Options{
        "S1",
        "Europe/Paris",
        dir_.File("edge-S1"),
        {"--central-endpoint", central_->endpoint(), "--central-public-key",
         dir_.File("central.pub"), "--secret-key-file", dir_.File("S1.key")}});
    const int64_t now = common::SystemClock().NowMs();
    now_ = now;
    from_ = common::FormatRfc3339Utc(common::BucketOf(now - 60 * kMinute) * common::kBucketMs);
    to_ = common::FormatRfc3339Utc(common::BucketOf(now + 60 * kMinute) * common::kBucketMs);
  }

  void TearDown() override {
    if (edge_) edge_->Stop();
    if (central_) central_->Stop();
  }

  std::string CentralUrl() const {
    return "http://127.0.0.1:" + std::to_string(central_->http_port());
  }

  // Two sales, 25.00 and 95.00, a few minutes ago.
  std::string WriteSales() const {
    const std::string ts1 = common::FormatRfc3339Utc(now_ - 5 * kMinute);
    const std::string ts2 = common::FormatRfc3339Utc(now_ - 4 * kMinute);
    return dir_.Write("sales.jsonl",
                      R"({"id":"n1","type":"sale","txn":"T1","ts":")" + ts1 +
                          R"(","lines":[{"sku":"A","qty":2,"unit_price":1250}]})" + "\n" +
                          R"({"id":"n2","type":"sale","txn":"T2","ts":")" + ts2 +
                          R"(","lines":[{"sku":"B","qty":1,"unit_price":9999,"discount":499}]})" +
                          "\n");
  }

  // Whether central has acknowledged every event the edge stored.
  bool CaughtUp() const {
    auto status = test_support::GetJson(edge_->http_port(), "/api/v1/status");
    if (!status || !status->contains("replication")) return false;
    return (*status)["replication"].value("acked_seq", int64_t{-1}) ==
           status->value("last_seq", int64_t{-2});
  }

  test_support::TempDir dir_;
  std::unique_ptr<test_support::CentralNode> central_;
  std::unique_ptr<test_support::EdgeNode> edge_;
  int64_t now_ = 0;
  std::string from_;
  std::string to_;
};

TEST_F(CentralIntegrationTest, NetworkAndFleetReadWhatTheEdgeReplicated) {
  ASSERT_TRUE(central_->Start());
  ASSERT_TRUE(edge_->Start());
  const std::string edge_url = "http://127.0.0.1:" + std::to_string(edge_->http_port());
  const RunResult ingest = Cli({"ingest", WriteSales(), "--edge", edge_url});
  ASSERT_EQ(ingest.exit_status, 0) << ingest.out << ingest.err;
  ASSERT_TRUE(WaitUntil([this] { return CaughtUp(); }, seconds(30)))
      << "central log:\n"
      << central_->Log() << "\nedge log:\n"
      << edge_->Log();

  const RunResult network = Cli({"network", "--central", CentralUrl(), "--from", from_, "--to", to_,
                                 "--by", "store", "--json"});
  ASSERT_EQ(network.exit_status, 0) << network.err;
  const json answer = json::parse(network.out, nullptr, false);
  ASSERT_EQ(answer["rows"].size(), 1u) << network.out;
  EXPECT_EQ(answer["rows"][0]["key"], "S1");
  EXPECT_EQ(answer["rows"][0]["gross_sales"], 2500 + 9500);
  EXPECT_EQ(answer["rows"][0]["transactions"], 2);

  const RunResult table = Cli({"network", "--central", CentralUrl(), "--from", from_, "--to", to_});
  EXPECT_EQ(table.exit_status, 0) << table.err;
  EXPECT_NE(table.out.find("Network — "), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("120.00"), std::string::npos) << table.out;

  const RunResult fleet_json = Cli({"fleet", "--central", CentralUrl(), "--json"});
  EXPECT_EQ(fleet_json.exit_status, 0) << fleet_json.out << fleet_json.err;
  const json fleet = json::parse(fleet_json.out, nullptr, false);
  ASSERT_EQ(fleet["stores"].size(), 1u) << fleet_json.out;
  EXPECT_EQ(fleet["stores"][0]["store"], "S1");
  EXPECT_EQ(fleet["stores"][0]["online"], true);
  EXPECT_EQ(fleet["stores"][0]["acked_seq"], 2);
  EXPECT_EQ(fleet["summary"]["refusals"], 0);

  const RunResult fleet_table = Cli({"fleet", "--central", CentralUrl()});
  EXPECT_EQ(fleet_table.exit_status, 0) << fleet_table.err;
  EXPECT_EQ(fleet_table.out.rfind("1 store: 1 online — backlog ", 0), 0u) << fleet_table.out;
  EXPECT_NE(fleet_table.out.find("\nS1     Paris Rivoli  FR-North  online"), std::string::npos)
      << fleet_table.out;

  EXPECT_EQ(central_->Stop(), 0) << central_->Log();
  const RunResult down = Cli({"fleet", "--central", CentralUrl()});
  EXPECT_EQ(down.exit_status, 3);
  EXPECT_EQ(down.out, "");
  EXPECT_NE(down.err.find("cannot reach central at " + CentralUrl() +
                          ": connection refused — is storepulse-central running?"),
            std::string::npos)
      << down.err;
}

// `storepulse stock SKU --network --edge URL`: the edge asks central over its replication
// connection; the store's stock, then central's own network view — or, central stopped, the
// store's stock and plainly why not (exit status 3).
TEST_F(CentralIntegrationTest, StockNetworkThroughTheEdgeOrWhyNot) {
  ASSERT_TRUE(central_->Start());
  ASSERT_TRUE(edge_->Start());
  const std::string edge_url = "http://127.0.0.1:" + std::to_string(edge_->http_port());
  ASSERT_EQ(Cli({"ingest", WriteSales(), "--edge", edge_url}).exit_status, 0);
  ASSERT_TRUE(WaitUntil([this] { return CaughtUp(); }, seconds(30)));
  auto central = test_support::GetJson(central_->http_port(), "/api/v1/stock?sku=A");
  ASSERT_TRUE(central.has_value());

  const RunResult via_edge = Cli({"stock", "A", "--network", "--edge", edge_url, "--json"});
  ASSERT_EQ(via_edge.exit_status, 0) << via_edge.err;
  const json answer = json::parse(via_edge.out, nullptr, false);
  ASSERT_TRUE(answer["network"].is_object()) << via_edge.out;
  EXPECT_EQ(answer["network"]["stores"][0]["store"], "S1");
  EXPECT_EQ(answer["network"]["stores"][0]["on_hand"], (*central)["stores"][0]["on_hand"]);
  EXPECT_EQ(answer["network"]["total_on_hand"], (*central)["total_on_hand"]);
  EXPECT_EQ(answer["here"]["on_hand"], (*central)["stores"][0]["on_hand"]);  // caught up

  const RunResult table = Cli({"stock", "A", "--network", "--edge", edge_url});
  EXPECT_EQ(table.exit_status, 0) << table.err;
  EXPECT_EQ(table.out.rfind("A at store S1\n", 0), 0u) << table.out;
  EXPECT_NE(table.out.find("\nA across the network: "), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("\nS1     Paris Rivoli"), std::string::npos) << table.out;

  EXPECT_EQ(central_->Stop(), 0);
  const RunResult away = Cli({"stock", "A", "--network", "--edge", edge_url});
  EXPECT_EQ(away.exit_status, 3) << away.out << away.err;
  EXPECT_EQ(away.out.rfind("A at store S1\n", 0), 0u) << away.out;
  EXPECT_NE(away.out.find("\nThe network: unavailable — "), std::string::npos) << away.out;
}

}  // namespace
}  // namespace storepulse::cli
