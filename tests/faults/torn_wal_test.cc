// kill -9 of the edge, then its write-ahead log cut in the middle of a frame of its last
// transaction, as a crash during that commit leaves it (tests/faults/wal_tail.h): the edge must
// start, and keep every event of every commit before it — each id still known (a resend is a
// duplicate) — while the torn transaction is gone whole (its producer had no answer and resends).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/event_codec.h"
#include "tests/faults/wal_tail.h"
#include "tests/integration/test_events.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

namespace fs = std::filesystem;

// Bytes past the last whole frame of the WAL at `path` (0: it ends on a frame boundary).
size_t BytesPastLastFrame(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  if (bytes.size() < 32) return 0;
  size_t page = 0;
  for (size_t i = 8; i < 12; ++i) page = (page << 8) | static_cast<unsigned char>(bytes[i]);
  return (bytes.size() - 32) % (24 + page);
}

TEST(TornWalTest, EdgeKeepsEveryEventCommittedBeforeTheTornTransaction) {
  TempDir dir;
  const std::string data_dir = dir.File("edge");
  // The view pass waits an hour before folding: the WAL's last transaction is the last batch's.
  EdgeNode edge({"S1", "Europe/Paris", data_dir, {"--view-group-ms", "3600000"}});
  ASSERT_TRUE(edge.Start());
  std::vector<std::string> batches;
  for (int b = 0; b < 10; ++b) {
    batches.push_back(common::EncodeJsonLines(Sales("b" + std::to_string(b), 100)));
    auto reply = PostBody(edge.http_port(), "/api/v1/events", batches.back());
    ASSERT_TRUE(reply);
    ASSERT_EQ(reply->status, 200) << reply->body.dump();
    ASSERT_EQ(reply->body["accepted"], 100);
  }
  edge.Kill();
  const std::string wal = data_dir + "/edge.db-wal";
  ASSERT_EQ(BytesPastLastFrame(wal), 0u);
  ASSERT_TRUE(LoseLastWalTransaction(wal, WalDamage::kTorn));
  EXPECT_NE(BytesPastLastFrame(wal), 0u) << "the WAL was not cut mid-frame";
  fs::remove(data_dir + "/edge.db-shm");

  ASSERT_TRUE(edge.Start()) << edge.Log();
  auto status = GetJson(edge.http_port(), "/api/v1/status");
  ASSERT_TRUE(status);
  EXPECT_EQ((*status)["last_seq"], 900);
  auto kpi = GetJson(edge.http_port(), "/api/v1/kpi?from=2000-01-01&to=2100-01-01");
  ASSERT_TRUE(kpi);
  EXPECT_EQ((*kpi)["rows"][0]["transactions"], 900);
  for (int b = 0; b < 9; ++b) {  // every id of the first nine commits is kept
    auto again = PostBody(edge.http_port(), "/api/v1/events", batches[b]);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->body["accepted"], 0) << "batch " << b << ": " << again->body.dump();
    EXPECT_EQ(again->body["duplicates"], 100) << "batch " << b;
  }
  auto resent = PostBody(edge.http_port(), "/api/v1/events", batches[9]);  // the torn one
  ASSERT_TRUE(resent);
  EXPECT_EQ(resent->body["accepted"], 100) << resent->body.dump();
  EXPECT_EQ(GetJson(edge.http_port(), "/api/v1/status").value()["last_seq"], 1000);
  EXPECT_EQ(edge.Stop(), 0);
}

}  // namespace
}  // namespace storepulse::test_support
