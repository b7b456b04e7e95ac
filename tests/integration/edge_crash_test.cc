// kill -9 of the real storepulse-edge in the middle of a large concurrent ingest: after a restart
// every acknowledged event is present exactly once, and the KPI measures equal a recomputation
// from the stored events (SPEC §5, guarantee 1).
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "common/event_codec.h"
#include "common/kpi/measures.h"
#include "common/store/pending_tail.h"
#include "common/store/view_readers.h"
#include "edge/edge_kpis.h"
#include "common/time_zone.h"
#include "edge/event_store.h"
#include "tests/integration/test_events.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

// Producers post batches of fresh events until told to stop; ids of acknowledged events kept.
class Producers {
 public:
  Producers(int port, int count) {
    for (int p = 0; p < count; ++p) {
      threads_.emplace_back([this, port, p] { Run(port, p); });
    }
  }
  ~Producers() { Join(); }
  void Join() {
    stop_ = true;
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  int64_t acknowledged_batches() const { return batches_; }
  std::set<std::string> acknowledged() {
    std::lock_guard lock(mu_);
    return acked_;
  }

 private:
  void Run(int port, int producer) {
    for (int batch = 0; !stop_ && batch < 10'000; ++batch) {
      auto events = Sales("p" + std::to_string(producer) + "-b" + std::to_string(batch), 500);
      auto reply = PostBody(port, "/api/v1/events", common::EncodeJsonLines(events));
      if (!reply || reply->status != 200) continue;  // the edge died under us: not acknowledged
      if (reply->body["accepted"] != 500) continue;
      std::lock_guard lock(mu_);
      for (const auto& e : events) acked_.insert(e.id);
      batches_++;
    }
  }
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> batches_{0};
  std::mutex mu_;
  std::set<std::string> acked_;
  std::vector<std::thread> threads_;
};

TEST(EdgeCrashTest, KillNineLosesNoAcknowledgedEventAndKpisMatchTheEvents) {
  TempDir dir;
  EdgeNode edge({"S1", "Asia/Kolkata", dir.File("edge"), {}});
  ASSERT_TRUE(edge.Start());
  Producers producers(edge.http_port(), 4);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (producers.acknowledged_batches() < 40 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling a condition
  }
  ASSERT_GE(producers.acknowledged_batches(), 40) << "ingest too slow to test a crash";
  edge.Kill();  // mid-ingest: batches are in flight on all four producers
  producers.Join();
  std::set<std::string> acked = producers.acknowledged();

  ASSERT_TRUE(edge.Start());  // recovery of the WAL, then serving again
  ASSERT_EQ(edge.Stop(), 0);

  auto db = edge::OpenReadOnly(dir.File("edge"));
  ASSERT_TRUE(db.ok()) << db.status().message();
  std::map<std::string, int> seen;
  common::MeasureDeltas recomputed;
  int64_t expected_seq = 1;
  ASSERT_TRUE(edge::ForEachEvent(**db, 0, [&](int64_t seq, const common::Event& e) {
                EXPECT_EQ(seq, expected_seq++) << "sequence numbers must have no gap";
                seen[e.id]++;
                EXPECT_TRUE(common::FoldEvent(e, &recomputed).ok());
              }).ok());
  for (const std::string& id : acked) ASSERT_EQ(seen[id], 1) << id;
  EXPECT_GE(seen.size(), acked.size());  // unacknowledged ones may have made it too
  for (const auto& [id, n] : seen) ASSERT_EQ(n, 1) << id;

  // The views plus the events not folded yet hold exactly the fold of the stored events, at both
  // grains: nothing folded twice, nothing skipped.
  common::ReadSnapshot snapshot(**db);
  auto zone_for_tail = common::TimeZone::Load("Asia/Kolkata");
  ASSERT_TRUE(zone_for_tail.ok());
  auto info = edge::ReadStoreInfo(**db);
  ASSERT_TRUE(info.ok());
  auto tail = edge::ReadEdgeTail(**db, *info, *zone_for_tail);
  ASSERT_TRUE(tail.ok()) << tail.status().message();
  common::StatementCache statements(**db);
  common::StoreViewReaders views(statements, "S1", *tail);
  common::MeasureReader& reader = *views.measures();
  common::MeasureDeltas stored;
  ASSERT_TRUE(reader
                  .ReadBuckets(INT64_MIN, INT64_MAX,
                               [&](int64_t b, common::Channel c, const common::Measures& m) {
                                 common::Measures& row = stored[common::BucketKey{b, c}];
                                 EXPECT_TRUE(row.Add(m).ok());
                               })
                  .ok());
  EXPECT_TRUE(stored == recomputed);
  auto zone = common::TimeZone::Load("Asia/Kolkata");
  ASSERT_TRUE(zone.ok());
  std::map<common::BucketKey, common::Measures> days_recomputed, days_stored;
  for (const auto& [key, m] : recomputed) {
    common::Measures& day =
        days_recomputed[{zone->LocalDayOf(key.bucket * common::kBucketMs), key.channel}];
    ASSERT_TRUE(day.Add(m).ok());
  }
  ASSERT_TRUE(reader
                  .ReadDays(INT64_MIN, INT64_MAX,
                            [&](int64_t d, common::Channel c, const common::Measures& m) {
                              common::Measures& row = days_stored[common::BucketKey{d, c}];
                              EXPECT_TRUE(row.Add(m).ok());
                            })
                  .ok());
  EXPECT_TRUE(days_stored == days_recomputed);
}

}  // namespace
}  // namespace storepulse::test_support
