// The edge's disk fills up although its disk guard saw room: a batch larger than the space left
// above the floor. SQLite then fails with "database or disk is full" (SQLITE_FULL), and that must
// reach the producer as the disk-full answer — HTTP 507, an error reply on ZeroMQ ingest — never
// as a retryable 503; the edge keeps running and stores the same batches once space is freed.
//
// The data directory is a small tmpfs mounted in a mount namespace of the daemon's own
// (`unshare -m`), so a real file system fills up without touching the machine's disks and
// disappears with the daemon. Mounting needs root (CI runs as root) with CAP_SYS_ADMIN: skipped,
// saying why, otherwise. The test reaches that file system as the daemon sees it, through
// /proc/PID/root.
#include <gtest/gtest.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/event_codec.h"
#include "tests/hostile/ingest_probe.h"
#include "tests/integration/test_events.h"
#include "tests/support/nodes.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMiB = 1024 * 1024;
constexpr uint64_t kFloorBytes = 256 * 1024;  // the guard's floor
constexpr uint64_t kRoomBytes = 1 * kMiB;     // left free above it before each batch

const std::string kAllTime = "/api/v1/kpi?from=2000-01-01&to=2100-01-01";

// `count` sales of 20 lines with long SKU names: about 2 KB each once stored, so that one batch
// of 1,500 needs about 3 MB, well over kRoomBytes.
std::vector<common::Event> BulkySales(const std::string& prefix, int count) {
  std::vector<common::Event> events = Sales(prefix, count);
  for (common::Event& event : events) {
    event.lines.clear();
    for (int j = 0; j < 20; ++j) {
      event.lines.push_back(
          common::Line{"SKU-" + std::string(80, 'x') + "-" + std::to_string(j), 1, 100, 0});
    }
  }
  return events;
}

// Runs the daemon in a mount namespace of its own, on a 32 MiB tmpfs mounted over `dir`.
std::vector<std::string> OnOwnTmpfs(const std::string& dir) {
  const std::string script = "mount -t tmpfs -o size=32m storepulse-test \"$0\" && exec \"$@\"";
  return {"unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script, dir};
}

uint64_t FreeBytes(const std::string& path) {
  struct statvfs fs {};
  if (statvfs(path.c_str(), &fs) != 0) return 0;
  return static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
}

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "mounting a tmpfs for the edge needs root";
    const std::string data_dir = dir_.File("edge");
    fs::create_directories(data_dir);
    std::vector<std::string> probe = OnOwnTmpfs(data_dir);
    probe.push_back("true");
    auto mounted = RunProcess(probe, std::chrono::seconds(10));
    ASSERT_TRUE(mounted.ok()) << mounted.status().message();
    if (mounted->exit_status != 0) {  // root without CAP_SYS_ADMIN: an unprivileged container
      GTEST_SKIP() << "cannot mount a tmpfs in a mount namespace: " << mounted->err;
    }
    // The floor is the smaller of the two: kFloorBytes.
    std::vector<std::string> floor = {"--min-free-bytes", std::to_string(kFloorBytes),
                                      "--min-free-percent", "100"};
    EdgeNode::Options options{"S1", "Europe/Paris", data_dir, std::move(floor)};
    options.launcher = OnOwnTmpfs(data_dir);
    edge_ = std::make_unique<EdgeNode>(std::move(options));
    ASSERT_TRUE(edge_->Start());
    // The daemon's view of its data directory: the tmpfs.
    data_dir_ = "/proc/" + std::to_string(edge_->pid()) + "/root" + data_dir;
    ASSERT_LT(FreeBytes(data_dir_), 33 * kMiB) << "the tmpfs is not mounted";
  }
  void TearDown() override {
    if (edge_ && edge_->Running()) {
      EXPECT_EQ(edge_->Stop(), 0) << edge_->Log();
    }
  }

  // Grows or shrinks a filler file so that exactly kRoomBytes stay free: the guard sees room.
  void LeaveRoom() {
    const std::string filler = data_dir_ + "/filler";
    const uint64_t free = FreeBytes(data_dir_);
    const uint64_t size = fs::exists(filler) ? fs::file_size(filler) : 0;
    ASSERT_GT(free + size, kRoomBytes);
    const uint64_t want = free + size - kRoomBytes;
    if (want < size) {
      fs::resize_file(filler, want);
    } else {
      std::ofstream out(filler, std::ios::binary | std::ios::app);
      const std::string chunk(64 * 1024, '\0');
      for (uint64_t written = size; written < want; written += chunk.size()) {
        out.write(chunk.data(),
                  static_cast<std::streamsize>(std::min<uint64_t>(chunk.size(), want - written)));
      }
      ASSERT_TRUE(out.flush()) << "cannot write the filler file";
    }
    const uint64_t room = FreeBytes(data_dir_);
    ASSERT_GT(room, kFloorBytes);
    ASSERT_LE(room, kRoomBytes + 64 * 1024);
  }

  void FreeSpace() { fs::remove(data_dir_ + "/filler"); }

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
