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

}  // namespace
}  // namespace storepulse::test_support
