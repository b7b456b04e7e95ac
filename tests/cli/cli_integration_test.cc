// Runs the real storepulse-edge and storepulse binaries as processes on 127.0.0.1, with free ports
// and a temporary data directory: imports JSON Lines and CSV, reads KPIs from the running edge
// and then, once it is stopped, from its data directory.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/kpi/measures.h"
#include "common/time_util.h"
#include "edge/edge_schema.h"
#include "edge/event_store.h"
#include "tests/support/free_port.h"
#include "tests/support/http_probe.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;
using std::chrono::seconds;
using test_support::RunResult;

constexpr int64_t kMinute = 60'000;

std::string Iso(int64_t ms) { return common::FormatRfc3339Utc(ms); }

class CliIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::vector<int> ports = test_support::FreeTcpPorts(2);
    ASSERT_EQ(ports.size(), 2u);
    http_port_ = ports[0];
    zmq_port_ = ports[1];
    edge_url_ = "http://127.0.0.1:" + std::to_string(http_port_);
    now_ = common::SystemClock().NowMs();
    // A period of whole 15-minute buckets around now, holding every event of the tests.
    from_ = Iso(common::BucketOf(now_ - 60 * kMinute) * common::kBucketMs);
    to_ = Iso(common::BucketOf(now_ + 60 * kMinute) * common::kBucketMs);
  }

  void TearDown() override {
    if (edge_) edge_->Stop(seconds(5));
  }

  void StartEdge(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {STOREPULSE_EDGE_BIN,
                                     "--store",
                                     "S1",
                                     "--timezone",
                                     "Europe/Paris",
                                     "--data-dir",
                                     DataDir(),
                                     "--http-listen",
                                     "127.0.0.1:" + std::to_string(http_port_),
                                     "--ingest-endpoint",
                                     "tcp://127.0.0.1:" + std::to_string(zmq_port_),
                                     "--min-free-bytes",
                                     "0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto edge = test_support::Process::Spawn(argv, {dir_.File("edge.out"), dir_.File("edge.err")});
    ASSERT_TRUE(edge.ok()) << edge.status().ToString();
    edge_ = std::move(*edge);
    ASSERT_TRUE(test_support::WaitForHttpOk("127.0.0.1", http_port_, "/healthz", seconds(10),
                                            [this] { return edge_->Running(); }))
        << "the edge did not come up:\n"
        << EdgeLog();
  }

  RunResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), STOREPULSE_CLI_BIN);
    auto result = test_support::RunProcess(args, seconds(60));
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (!result.ok()) return {};
    EXPECT_FALSE(result->timed_out);
    return *result;
  }

  json KpiJson(const std::vector<std::string>& source) {
    std::vector<std::string> args = {"kpi", "--from", from_, "--to", to_, "--json"};
    args.insert(args.end(), source.begin(), source.end());
    RunResult result = Cli(args);
    EXPECT_EQ(result.exit_status, 0) << result.err;
    return json::parse(result.out, nullptr, false);
  }

  std::string DataDir() const { return dir_.File("data"); }
  std::string EdgeLog() const {
    std::ifstream in(dir_.File("edge.err"));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // Two good sales (25.00 and 95.00), a line that is not JSON, a sale with qty 0, a repeat.
  std::string WriteJsonLines() const {
    const std::string sale1 = R"({"id":"j1","type":"sale","txn":"T1","ts":")" +
                              Iso(now_ - 5 * kMinute) +
                              R"(","lines":[{"sku":"A","qty":2,"unit_price":1250}]})";
    return dir_.Write(
        "sales.jsonl",
        sale1 + "\n\n{not json\n" + R"({"id":"j2","type":"sale","txn":"T2","ts":)" +
            std::to_string(now_ - 4 * kMinute) +
            R"(,"channel":"store","lines":[{"sku":"B","qty":1,"unit_price":9999,"discount":499}]})" +
            "\n" + R"({"id":"j3","type":"sale","txn":"T3","ts":")" + Iso(now_) +
            R"(","lines":[{"sku":"A","qty":0,"unit_price":100}]})" + "\n" + sale1 + "\n");
  }

  // A two-line sale (10.00 + 2 × 5.00 − 1.00 = 19.00) and a footfall count of 10.
  std::string WriteCsv() const {
    const std::string header =
        "id,type,ts,txn,channel,customer,sku,qty,unit_price,discount,sensor,period_s,in,out\n";
    const std::string sale = "c1,sale," + Iso(now_ - 3 * kMinute) +
                             ",T9,store,\"Dupont, Marie\",A,1,1000,,,,,\n"
                             "c1,,,,,,\"B, large\",2,500,100,,,,\n";
    const std::string footfall =
        "f1,footfall," + std::to_string(now_ - 15 * kMinute) + ",,,,,,,,door-1,900,10,9\n";
    return dir_.Write("till.csv", header + sale + footfall);
  }

  test_support::TempDir dir_;
  std::unique_ptr<test_support::Process> edge_;
  int http_port_ = 0;
  int zmq_port_ = 0;
  std::string edge_url_;
  int64_t now_ = 0;
  std::string from_;
  std::string to_;
};

TEST_F(CliIntegrationTest, IngestsFilesAndReadsTheSameKpisFromTheEdgeAndItsDataDir) {
  ASSERT_NO_FATAL_FAILURE(StartEdge());

  RunResult jsonl = Cli({"ingest", WriteJsonLines(), "--edge", edge_url_});
  EXPECT_EQ(jsonl.exit_status, 1) << jsonl.out << jsonl.err;  // two lines rejected
  EXPECT_NE(jsonl.out.find("  accepted    2\n  duplicates  1\n  rejected    2\n"),
            std::string::npos)
      << jsonl.out;
  EXPECT_NE(jsonl.out.find("  line 3: not valid JSON: "), std::string::npos) << jsonl.out;
  EXPECT_NE(jsonl.out.find("  line 5 (id \"j3\"): "), std::string::npos) << jsonl.out;

  RunResult csv = Cli({"ingest", WriteCsv(), "--edge", edge_url_, "--json"});
  EXPECT_EQ(csv.exit_status, 0) << csv.out << csv.err;
  const json csv_report = json::parse(csv.out, nullptr, false);
  EXPECT_EQ(csv_report["accepted"], 2) << csv.out;
  EXPECT_EQ(csv_report["rejected"], json::array());

  const json live = KpiJson({"--edge", edge_url_});
  ASSERT_EQ(live["rows"].size(), 1u) << live.dump();
  const json& row = live["rows"][0];
  EXPECT_EQ(row["gross_sales"], 2500 + 9500 + 1900);
  EXPECT_EQ(row["transactions"], 3);
  EXPECT_EQ(row["units_sold"], 6);
  EXPECT_EQ(row["footfall"], 10);
  EXPECT_DOUBLE_EQ(row["conversion_rate"].get<double>(), 0.3);
  EXPECT_EQ(live["scope"], "store:S1");

  RunResult table = Cli({"kpi", "--from", from_, "--to", to_, "--edge", edge_url_});
  EXPECT_EQ(table.exit_status, 0) << table.err;
  EXPECT_NE(table.out.find("Store S1 — "), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("(Europe/Paris)"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("139.00"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("30.0%"), std::string::npos) << table.out;

  EXPECT_EQ(edge_->Stop(seconds(10)), 0) << EdgeLog();
  EXPECT_EQ(KpiJson({"--data-dir", DataDir()}), live);

  RunResult down = Cli({"ingest", WriteCsv(), "--edge", edge_url_});
  EXPECT_EQ(down.exit_status, 3);
  EXPECT_NE(down.err.find("cannot reach the edge at " + edge_url_ +
                          ": connection refused — is storepulse-edge running? "
                          "(systemctl status storepulse-edge)"),
            std::string::npos)
      << down.err;
}

TEST_F(CliIntegrationTest, SendingAFileTwiceOnlyAddsDuplicates) {
  ASSERT_NO_FATAL_FAILURE(StartEdge());
  const std::string csv = WriteCsv();
  EXPECT_EQ(Cli({"ingest", csv, "--edge", edge_url_}).exit_status, 0);
  RunResult again = Cli({"ingest", csv, "--edge", edge_url_, "--batch", "1"});
  EXPECT_EQ(again.exit_status, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("  accepted    0\n  duplicates  2\n"), std::string::npos) << again.out;
  EXPECT_EQ(KpiJson({"--edge", edge_url_})["rows"][0]["transactions"], 1);
}

TEST_F(CliIntegrationTest, AnEdgeWithATokenRefusesImportsWithoutIt) {
  const std::string token = dir_.Write("token", "s3cret\n");
  ASSERT_NO_FATAL_FAILURE(StartEdge({"--http-token-file", token}));
  RunResult refused = Cli({"ingest", WriteCsv(), "--edge", edge_url_});
  EXPECT_EQ(refused.exit_status, 1);
  EXPECT_NE(refused.out.find("HTTP 401"), std::string::npos) << refused.out;
  EXPECT_NE(refused.err.find("HTTP 401"), std::string::npos) << refused.err;
  RunResult accepted = Cli({"ingest", WriteCsv(), "--edge", edge_url_, "--token-file", token});
  EXPECT_EQ(accepted.exit_status, 0) << accepted.out << accepted.err;
}

TEST(CliBinaryTest, UsageErrorsExitWithTwo) {
  auto run = [](std::vector<std::string> args) {
    args.insert(args.begin(), STOREPULSE_CLI_BIN);
    return test_support::RunProcess(args, seconds(30)).value();
  };
  EXPECT_EQ(run({}).exit_status, 2);
  EXPECT_EQ(run({"frobnicate"}).exit_status, 2);
  EXPECT_EQ(run({"ingest"}).exit_status, 2);
  EXPECT_EQ(run({"ingest", "/nonexistent/file.jsonl"}).exit_status, 2);
  EXPECT_EQ(run({"ingest", "x.jsonl", "--batch", "0"}).exit_status, 2);
  EXPECT_EQ(run({"kpi", "--by", "week"}).exit_status, 2);
  EXPECT_EQ(run({"kpi", "--data-dir", "/tmp", "--edge", "http://x:1"}).exit_status, 2);
  EXPECT_EQ(run({"kpi", "--bogus"}).exit_status, 2);
}

// `storepulse kpi` and `storepulse stock` on a data directory whose edge.db another version wrote:
// refused with the file, its version, the one this build reads and what to do — not misread.
TEST(CliBinaryTest, ADatabaseOfAnotherSchemaVersionIsRefusedWithWhatToDo) {
  test_support::TempDir dir;
  {
    auto store = edge::EventStore::Open(dir.path(), "S1", *common::TimeZone::Load("UTC"),
                                        edge::Durability::kNormal);
    ASSERT_TRUE(store.ok()) << store.status().message();
  }
  const std::string path = edge::EdgeDatabasePath(dir.path());
  auto stamp = [&](int version) {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("UPDATE meta SET value = '" + std::to_string(version) +
            "' WHERE key = 'schema_version'");
  };
  auto run = [](std::vector<std::string> args) {
    args.insert(args.begin(), STOREPULSE_CLI_BIN);
    return test_support::RunProcess(args, seconds(30)).value();
  };
  const std::vector<std::vector<std::string>> reads = {
      {"kpi", "--data-dir", dir.path()}, {"stock", "SKU-1", "--data-dir", dir.path()}};
  stamp(99);
  for (const auto& read : reads) {
    const RunResult refused = run(read);
    EXPECT_EQ(refused.exit_status, 1) << read[0] << ": " << refused.out << refused.err;
    EXPECT_NE(refused.err.find("the edge database " + path +
                               " has schema version 99, but this storepulse (" STOREPULSE_VERSION
                               ") reads schema versions up to " +
                               std::to_string(edge::kEdgeSchemaVersion) +
                               ": a newer storepulse wrote it. It was left as it is: upgrade "
                               "storepulse"),
              std::string::npos)
        << read[0] << ": " << refused.err;
  }
  stamp(1);
  for (const auto& read : reads) {
    const RunResult refused = run(read);
    EXPECT_EQ(refused.exit_status, 1) << read[0] << ": " << refused.out << refused.err;
    EXPECT_NE(refused.err.find("the edge database " + path +
                               " has schema version 1, but this storepulse (" STOREPULSE_VERSION
                               ") reads version " +
                               std::to_string(edge::kEdgeSchemaVersion) +
                               ": an older storepulse wrote it. Start storepulse-edge once (it "
                               "upgrades the file in place)"),
              std::string::npos)
        << read[0] << ": " << refused.err;
  }
  stamp(edge::kEdgeSchemaVersion);
  for (const auto& read : reads) {
    const RunResult read_ok = run(read);
    EXPECT_EQ(read_ok.exit_status, 0) << read[0] << ": " << read_ok.out << read_ok.err;
  }
}

TEST(CliBinaryTest, HelpListsEveryCommandWithAnExample) {
  auto run = [](std::vector<std::string> args) {
    args.insert(args.begin(), STOREPULSE_CLI_BIN);
    return test_support::RunProcess(args, seconds(30)).value();
  };
  const RunResult help = run({"--help"});
  EXPECT_EQ(help.exit_status, 0);
  EXPECT_NE(help.out.find("ingest"), std::string::npos);
  EXPECT_NE(help.out.find("e.g. storepulse kpi"), std::string::npos);
  EXPECT_EQ(run({"help"}).out, help.out);
  EXPECT_NE(run({"help", "ingest"}).out.find("CSV: a header row"), std::string::npos);
  EXPECT_EQ(run({"--version"}).out, std::string("storepulse ") + STOREPULSE_VERSION + "\n");
}

}  // namespace
}  // namespace storepulse::cli
