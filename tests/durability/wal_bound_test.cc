// The write-ahead logs of the real daemons stay bounded while they run, and after a kill -9 and a
// restart (issue 8, failure 2: an edge's WAL reached 1.38 GB, 5x its data, and only a clean stop
// shrank it). The bound is read from the files and from what the daemons report: the edge's
// GET /api/v1/status and /metrics, central's GET /api/v1/fleet and /metrics.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "common/event_codec.h"
#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"
#include "tests/support/http_probe.h"

namespace storepulse::test_support {
namespace {

// Above the 16 MiB the daemons cut the log back to; below what the unbounded WAL reached with the
// replicated load of the first test (48 MB at the edge, 66 MB at central).
constexpr int64_t kWalBound = 32 << 20;
constexpr int kBatchEvents = 5000;

int64_t FileBytes(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<int64_t>(size);
}

// Sales of many SKUs by many customers, so the measures, the stock and the customer tables grow
// with the events as they do in a store.
std::string Batch(const std::string& prefix, int first, int count = kBatchEvents) {
  std::vector<common::Event> events;
  events.reserve(count);
  for (int i = first; i < first + count; ++i) {
    common::Event sale = Sale(prefix + "-" + std::to_string(i), 1 + i % 3, 100 + i % 90);
    sale.lines[0].sku = "SKU-" + std::to_string(i % 500);
    sale.customer = "C" + std::to_string(i % 2000);
    sale.employee = "E" + std::to_string(i % 12);
    events.push_back(std::move(sale));
  }
  return common::EncodeJsonLines(events);
}

void Post(EdgeNode& edge, const std::string& body) {
  auto reply = PostBody(edge.http_port(), "/api/v1/events", body);
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body.dump();
}

int64_t EdgeWalBytes(EdgeNode& edge) {
  auto status = GetJson(edge.http_port(), "/api/v1/status");
  return status ? status->value("wal_bytes", int64_t{-1}) : -1;
}

std::string Metrics(int port) {
  auto reply = HttpGet("127.0.0.1", port, "/metrics");
  return reply ? reply->body : "";
}

TEST(WalBoundTest, EdgeAndCentralWalsStayBoundedWhileReplicating) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartAll());
  const std::string edge_wal = chain.edge(0).options().data_dir + "/edge.db-wal";
  const std::string central_wal = chain.dir().File("central") + "/central.db-wal";
  constexpr int kEvents = 300'000;
  int64_t edge_peak = 0, central_peak = 0;
  for (int first = 0; first < kEvents; first += kBatchEvents) {
    ASSERT_NO_FATAL_FAILURE(Post(chain.edge(0), Batch("w", first)));
    edge_peak = std::max(edge_peak, FileBytes(edge_wal));
    central_peak = std::max(central_peak, FileBytes(central_wal));
  }
  ASSERT_EQ(chain.WaitCaughtUp(0), kEvents);
  edge_peak = std::max(edge_peak, FileBytes(edge_wal));
  central_peak = std::max(central_peak, FileBytes(central_wal));
  std::cout << "[   INFO   ] WAL peaks: edge " << edge_peak << " bytes, central " << central_peak
            << " bytes\n";
  EXPECT_LT(edge_peak, kWalBound) << "edge.db-wal peaked at " << edge_peak << " bytes";
  EXPECT_LT(central_peak, kWalBound) << "central.db-wal peaked at " << central_peak << " bytes";

  // What the daemons say of their WAL: present, and bounded too.
  int64_t edge_reported = EdgeWalBytes(chain.edge(0));
  EXPECT_GE(edge_reported, 0) << "no wal_bytes in the edge's /api/v1/status";
  EXPECT_LT(edge_reported, kWalBound);
  auto fleet = GetJson(chain.central().http_port(), "/api/v1/fleet");
  ASSERT_TRUE(fleet);
  int64_t central_reported = fleet->value("/central/wal_bytes"_json_pointer, int64_t{-1});
  EXPECT_GE(central_reported, 0) << "no central.wal_bytes in central's /api/v1/fleet";
  EXPECT_LT(central_reported, kWalBound);
  EXPECT_NE(Metrics(chain.edge(0).http_port()).find("\nstorepulse_edge_wal_bytes "),
            std::string::npos);
  EXPECT_NE(Metrics(chain.central().http_port()).find("\nstorepulse_central_wal_bytes "),
            std::string::npos);
}

// A reader that keeps one snapshot (here the test itself; in the field a stuck report or a
// backup) lets the WAL grow, whatever the edge does: nothing may be checkpointed past it. Once it
// ends, the WAL must come back under the bound while the edge runs, and a kill -9 followed by a
// restart must not leave it large either.
class LongReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    edge_ = std::make_unique<EdgeNode>(EdgeNode::Options{"S1", "Europe/Paris", dir_.File("edge"), {}});
    ASSERT_TRUE(edge_->Start());
    ASSERT_NO_FATAL_FAILURE(Post(*edge_, Batch("first", 0)));
  }

  // Posts events while a read-only connection holds one snapshot, until the WAL is over the bound.
  // The reader stays until EndReader (read-only: closing it never checkpoints).
  void GrowWalBehindAReader() {
    reader_ = std::make_unique<SQLite::Database>(db_path(), SQLite::OPEN_READONLY);
    reader_->exec("BEGIN");
    ASSERT_GT(reader_->execAndGet("SELECT COUNT(*) FROM events").getInt64(), 0);
    for (int first = 0; first < 400'000 && FileBytes(wal_path()) <= kWalBound;
         first += kBatchEvents) {
      ASSERT_NO_FATAL_FAILURE(Post(*edge_, Batch("pinned", first)));
    }
    ASSERT_GT(FileBytes(wal_path()), kWalBound) << "the reader did not keep the WAL from growing";
  }
  void EndReader() { reader_.reset(); }

  std::string db_path() const { return dir_.File("edge") + "/edge.db"; }
  std::string wal_path() const { return db_path() + "-wal"; }

  TempDir dir_;
  std::unique_ptr<EdgeNode> edge_;
  std::unique_ptr<SQLite::Database> reader_;
};

TEST_F(LongReaderTest, TheWalShrinksWhileTheEdgeRunsOnceTheReaderEnds) {
  ASSERT_NO_FATAL_FAILURE(GrowWalBehindAReader());
  EndReader();
  int round = 0;
  bool shrunk = WaitUntil(
      [&] {  // the edge acts on the WAL after its commits: keep a trickle of events coming
        Post(*edge_, Batch("after-" + std::to_string(round++), 0, 10));
        return FileBytes(wal_path()) < kWalBound && EdgeWalBytes(*edge_) < kWalBound;
      },
      std::chrono::seconds(20));
  EXPECT_TRUE(shrunk) << "edge.db-wal is still " << FileBytes(wal_path()) << " bytes";
}

TEST_F(LongReaderTest, ARestartAfterKillLeavesABoundedWal) {
  ASSERT_NO_FATAL_FAILURE(GrowWalBehindAReader());
  edge_->Kill();
  EndReader();
  ASSERT_GT(FileBytes(wal_path()), kWalBound);  // what the crash left
  ASSERT_TRUE(edge_->Start());
  EXPECT_LT(FileBytes(wal_path()), kWalBound);
  int64_t reported = EdgeWalBytes(*edge_);
  EXPECT_GE(reported, 0) << "no wal_bytes in the edge's /api/v1/status";
  EXPECT_LT(reported, kWalBound);
}

}  // namespace
}  // namespace storepulse::test_support
