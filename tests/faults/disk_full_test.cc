// The edge's disk fills up although its disk guard saw room: a batch larger than the space left
// above the floor. SQLite then fails with "database or disk is full" (SQLITE_FULL), and that must
// reach the producer as the disk-full answer — HTTP 507, an error reply on ZeroMQ ingest — never
// as a retryable 503; the edge keeps running and stores the same batches once space is freed.
//
// The data directory is a small tmpfs of the daemon's own (tests/faults/disk_fill.h). Mounting
// needs root (CI runs as root) with CAP_SYS_ADMIN: skipped, saying why, otherwise.
#include <gtest/gtest.h>

#include "common/event_codec.h"
#include "tests/faults/disk_fill.h"
#include "tests/hostile/ingest_probe.h"
#include "tests/integration/chain.h"
#include "tests/integration/chain_calls.h"
#include "tests/integration/test_events.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

constexpr uint64_t kMiB = 1024 * 1024;
constexpr uint64_t kFloorBytes = 256 * 1024;  // the guard's floor
constexpr uint64_t kRoomBytes = 1 * kMiB;     // left free above it before each batch

const std::string kAllTime = "/api/v1/kpi?from=2000-01-01&to=2100-01-01";

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string data_dir = dir_.File("edge");
    if (std::string why = CannotMountTmpfs(data_dir); !why.empty()) GTEST_SKIP() << why;
    // The floor is the smaller of the two: kFloorBytes.
    std::vector<std::string> floor = {"--min-free-bytes", std::to_string(kFloorBytes),
                                      "--min-free-percent", "100"};
    EdgeNode::Options options{"S1", "Europe/Paris", data_dir, std::move(floor)};
    options.launcher = OnOwnTmpfs(data_dir);
    edge_ = std::make_unique<EdgeNode>(std::move(options));
    ASSERT_TRUE(edge_->Start());
    // The daemon's view of its data directory: the tmpfs.
    data_dir_ = AsSeenBy(edge_->pid(), data_dir);
    ASSERT_LT(FreeBytes(data_dir_), 33 * kMiB) << "the tmpfs is not mounted";
  }
  void TearDown() override {
    if (edge_ && edge_->Running()) {
      EXPECT_EQ(edge_->Stop(), 0) << edge_->Log();
    }
  }

  // Leaves exactly kRoomBytes free: the guard sees room.
  void LeaveRoom() {
    ASSERT_TRUE(test_support::LeaveRoom(data_dir_, kRoomBytes));
    const uint64_t room = FreeBytes(data_dir_);
    ASSERT_GT(room, kFloorBytes);
    ASSERT_LE(room, kRoomBytes + 64 * 1024);
  }

  void FreeSpace() { RemoveFiller(data_dir_); }

  int64_t Transactions() {
    auto kpi = GetJson(edge_->http_port(), kAllTime);
    EXPECT_TRUE(kpi.has_value());
    return kpi ? (*kpi)["rows"][0]["transactions"].get<int64_t>() : -1;
  }

  TempDir dir_;
  std::unique_ptr<EdgeNode> edge_;
  std::string data_dir_;
};

TEST_F(DiskFullTest, SqliteFullPastTheGuardIsTheDiskFullAnswerAndTheEdgeRecovers) {
  const std::vector<common::Event> http_events = BulkySales("h", 1500);
  const std::vector<common::Event> zmq_events = BulkySales("z", 1500);
  const std::string http_body = common::EncodeJsonLines(http_events);
  const std::string zmq_body = common::EncodeMsgpackBatch(zmq_events);

  ASSERT_NO_FATAL_FAILURE(LeaveRoom());
  auto refused = PostBody(edge_->http_port(), "/api/v1/events", http_body);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 507) << refused->body.dump();
  EXPECT_EQ(refused->body["accepted"], 0);
  const std::string error = refused->body.value("error", "");
  EXPECT_NE(error.find("disk full"), std::string::npos) << error;
  EXPECT_NE(error.find("edge.db"), std::string::npos) << error;     // which file
  EXPECT_NE(error.find("free space"), std::string::npos) << error;  // what to do
  ASSERT_TRUE(edge_->Running());

  // The failed commit used what was left: room again, so that the guard lets the batch through.
  ASSERT_NO_FATAL_FAILURE(LeaveRoom());
  auto zmq_refused = ZmqRequest(edge_->ingest_endpoint(), zmq_body, zmq::socket_type::dealer);
  ASSERT_TRUE(zmq_refused);
  EXPECT_EQ((*zmq_refused)["accepted"], 0);
  const std::string zmq_error = zmq_refused->value("error", "");
  EXPECT_NE(zmq_error.find("disk full"), std::string::npos) << zmq_error;
  EXPECT_NE(zmq_error.find("edge.db"), std::string::npos) << zmq_error;
  EXPECT_EQ(Transactions(), 0);  // nothing of either batch was stored

  FreeSpace();
  auto stored = PostBody(edge_->http_port(), "/api/v1/events", http_body);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->status, 200) << stored->body.dump();
  EXPECT_EQ(stored->body["accepted"], 1500);
  auto zmq_stored = ZmqRequest(edge_->ingest_endpoint(), zmq_body, zmq::socket_type::dealer);
  ASSERT_TRUE(zmq_stored);
  EXPECT_EQ((*zmq_stored)["accepted"], 1500) << zmq_stored->dump();
  EXPECT_EQ(Transactions(), 3000);
}

// The store's disk fills while its edge replicates: the producer is told 507 (the guard's floor
// or SQLite's own disk full), what the edge acknowledged stays, the fleet shows the edge refusing,
// and once there is room again central ends with every acknowledged event exactly once.
TEST(EdgeDiskFullTest, ProducersGet507AndCentralGetsEveryAcknowledgedEventOnce) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  const std::string data_dir = chain.dir().File("edge-PAR1");
  if (std::string why = CannotMountTmpfs(data_dir); !why.empty()) GTEST_SKIP() << why;
  std::vector<std::string> args = chain.ReplicationArgs(0);
  args.insert(args.end(),
              {"--min-free-bytes", std::to_string(kFloorBytes), "--min-free-percent", "100"});
  chain.ResetEdge(0, args);
  chain.edge(0).set_launcher(OnOwnTmpfs(data_dir, 24));
  ASSERT_TRUE(chain.StartAll());
  const std::string disk = AsSeenBy(chain.edge(0).pid(), data_dir);
  ASSERT_TRUE(LeaveRoom(disk, 3 * kMiB));

  // Batches of 200 bulky sales (~400 KB) until the disk is full; the acknowledged ones counted.
  int64_t acknowledged = 0;
  int refused = 0;
  for (int batch = 0; batch < 100 && refused < 3; ++batch) {
    auto reply = PostBody(chain.edge(0).http_port(), "/api/v1/events",
                          common::EncodeJsonLines(BulkySales("f" + std::to_string(batch), 200)));
    ASSERT_TRUE(reply);
    if (reply->status == 200) {
      ASSERT_EQ(reply->body["accepted"], 200) << reply->body.dump();
      acknowledged += 200;
      continue;
    }
    ASSERT_EQ(reply->status, 507) << reply->body.dump();
    ASSERT_EQ(reply->body["accepted"], 0) << reply->body.dump();
    const std::string error = reply->body.value("error", "");
    EXPECT_NE(error.find("disk"), std::string::npos) << error;
    ++refused;
  }
  ASSERT_EQ(refused, 3) << "the disk never filled";
  ASSERT_GT(acknowledged, 0);
  ASSERT_TRUE(chain.edge(0).Running());
  EXPECT_TRUE(WaitUntil([&] {
    auto fleet = GetJson(chain.central().http_port(), "/api/v1/fleet");
    return fleet && (*fleet)["stores"][0]["disk_accepting"] == false;
  })) << "the fleet does not show the edge refusing";

  RemoveFiller(disk);
  // Room again: accepted once the guard reads the disk again (each second). The same ids each
  // time, and a 507 stores nothing: 100 events in the end.
  const std::string after = common::EncodeJsonLines(Sales("after", 100));
  EXPECT_TRUE(WaitUntil(
      [&] {
        auto reply = PostBody(chain.edge(0).http_port(), "/api/v1/events", after);
        return reply && reply->status == 200 && reply->body["accepted"] == 100;
      },
      std::chrono::seconds(10)));
  acknowledged += 100;
  EXPECT_EQ(chain.WaitCaughtUp(0), acknowledged);
  EXPECT_EQ(CentralTransactions(chain), acknowledged);  // each once
  EXPECT_EQ(chain.EdgeKpis(0)[0]["transactions"], acknowledged);
  EXPECT_EQ(WithoutArea(chain.CentralKpis("store:PAR1")), WithoutArea(chain.EdgeKpis(0)));
  std::cout << "acknowledged " << acknowledged << " events before the disk filled; at central "
            << CentralTransactions(chain) << "\n";
}

}  // namespace
}  // namespace storepulse::test_support
