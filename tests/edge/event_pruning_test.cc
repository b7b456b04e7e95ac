// Retention at the edge: PruneEvents deletes old raw events (a prefix of the seqs, never the
// newest, never past the bound it is given) and leaves every view, so the KPIs of a pruned period
// stay.
#include "edge/event_pruning.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "common/kpi/kpi_json.h"
#include "common/kpi/kpi_query.h"
#include "common/sim/store_simulator.h"
#include "common/time_util.h"
#include "edge/edge_kpis.h"
#include "edge/edge_stock.h"
#include "edge/event_store.h"
#include "tests/integration/test_events.h"
#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kRetentionMs = 90 * kDayMs;

int64_t At(const char* rfc3339) { return *common::ParseRfc3339(rfc3339); }

// "Now" for these tests, and the cut 90 days before it.
const int64_t kNow = At("2026-06-01T12:00:00Z");
const int64_t kCut = kNow - kRetentionMs;

class EventPruningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = EventStore::Open(dir_.path(), "S1", zone_, Durability::kNormal);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
    auto views = store_->OpenViewPass(clock_, {});
    ASSERT_TRUE(views.ok()) << views.status().message();
    views_ = std::move(views).value();
    views_->Start();
  }

  // Stores `events` in one commit, received at `received_ms`.
  void Append(const std::vector<common::Event>& events, int64_t received_ms) {
    std::vector<AppendOutcome> outcomes;
    auto group = store_->BeginGroup();
    ASSERT_TRUE(group.ok());
    ASSERT_TRUE(group->Append(events, received_ms, &outcomes).ok());
    ASSERT_TRUE(group->Commit().ok());
    views_->Committed(store_->info().last_seq);  // folded before anything is pruned
    ASSERT_TRUE(views_->CatchUp(store_->info().last_seq, 10'000).ok());
  }

  // Three days of simulated traffic in January (sales with SKUs, employees and customers,
  // returns, footfall, stock, orders, feedback), each day stored on its evening; the seq of the
  // last of them.
  int64_t AppendJanuary() {
    auto sim = common::StoreSimulator::Create({"S1", zone_, 0.3, 7});
    EXPECT_TRUE(sim.ok());
    for (int64_t day = At("2026-01-12T00:00:00Z"); day < At("2026-01-15T00:00:00Z");
         day += kDayMs) {
      Append(sim->Generate(day, day + kDayMs), day + kDayMs - 1000);
    }
    return store_->info().last_seq;
  }

  nlohmann::json Kpis(common::GroupBy by) {
    auto db = OpenReadOnly(dir_.path());
    EXPECT_TRUE(db.ok());
    auto answer = QueryEdgeKpis(**db, {"2026-01-01", "2026-02-01", by, "store"}, kNow);
    EXPECT_TRUE(answer.ok()) << answer.status().message();
    return answer.ok() ? common::KpiAnswerJson(*answer) : nlohmann::json();
  }

  nlohmann::json Stock() {
    auto db = OpenReadOnly(dir_.path());
    EXPECT_TRUE(db.ok());
    auto answer = QueryEdgeStock(**db, "");
    EXPECT_TRUE(answer.ok());
    return answer.ok() ? *answer : nlohmann::json();
  }

  std::vector<int64_t> StoredSeqs() {
    auto db = OpenReadOnly(dir_.path());
    std::vector<int64_t> seqs;
    EXPECT_TRUE(ForEachEvent(**db, 0, [&](int64_t seq, const common::Event&) {
                  seqs.push_back(seq);
                }).ok());
    return seqs;
  }

  test_support::TempDir dir_;
  common::TimeZone zone_ = *common::TimeZone::Load("Europe/Paris");
  std::unique_ptr<EventStore> store_;
  common::SystemClock clock_;
  std::unique_ptr<common::ViewPass> views_;  // after store_: stopped first
};

TEST_F(EventPruningTest, KpisOfThePrunedDaysStayTheSameAtEveryGrain) {
  const int64_t last_january = AppendJanuary();
  Append(test_support::Sales("may", 5, kNow - 2 * kDayMs), kNow - 2 * kDayMs);
  const std::vector<common::GroupBy> grains = {
      common::GroupBy::kTotal,   common::GroupBy::kDay,      common::GroupBy::kHour,
      common::GroupBy::kChannel, common::GroupBy::kEmployee, common::GroupBy::kSku};
  std::vector<nlohmann::json> before;
  for (common::GroupBy by : grains) {
    before.push_back(Kpis(by));
    EXPECT_FALSE(before.back()["rows"].empty()) << "by=" << common::GroupByName(by);
  }
  const nlohmann::json stock_before = Stock();
  ASSERT_GT(before[0]["rows"][0]["transactions"].get<int64_t>(), 100) << before[0].dump();
  ASSERT_GT(before[0]["rows"][0]["customers"].get<int64_t>(), 10) << before[0].dump();

  int64_t pruned = 0;
  for (int step = 0; step < 1000; ++step) {  // small steps, as the daemon takes them
    auto done = store_->Prune(store_->info().last_seq, kCut, 250);
    ASSERT_TRUE(done.ok()) << done.status().message();
    EXPECT_LE(done->pruned, 250);
    pruned += done->pruned;
    if (done->pruned < 250) break;
  }
  EXPECT_GT(last_january, 1000);
  EXPECT_EQ(pruned, last_january);  // every January event; May's stay
  EXPECT_EQ(StoredSeqs().front(), last_january + 1);
  for (size_t i = 0; i < grains.size(); ++i) {
    EXPECT_EQ(Kpis(grains[i]), before[i]) << "by=" << common::GroupByName(grains[i]);
  }
  EXPECT_EQ(Stock(), stock_before);
}

TEST_F(EventPruningTest, NothingAboveTheBoundIsPrunedWhateverItsAge) {
  Append(test_support::Sales("old", 100, kCut - 30 * kDayMs), kCut - 30 * kDayMs);
  auto done = store_->Prune(/*max_seq=*/40, kCut, 1000);  // central acknowledged up to 40
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->pruned, 40);
  EXPECT_EQ(done->pruned_through, 40);
  done = store_->Prune(/*max_seq=*/0, kCut, 1000);  // nothing acknowledged: nothing goes
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->pruned, 0);
  EXPECT_EQ(done->pruned_through, 40);
  EXPECT_EQ(StoredSeqs().size(), 60u);
}

TEST_F(EventPruningTest, TheNewestEventStaysAndSeqsContinueAfterARestart) {
  Append(test_support::Sales("old", 10, kCut - kDayMs), kCut - kDayMs);
  auto done = store_->Prune(10, kCut, 1000);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->pruned, 9);  // seq 10 is the newest: the next seq is derived from it
  EXPECT_EQ(done->pruned_through, 9);
  EXPECT_EQ(done->oldest_kept_received_ms, kCut - kDayMs);
  views_.reset();  // it uses the store's write gate
  store_.reset();
  auto reopened = EventStore::Open(dir_.path(), "S1", zone_, Durability::kNormal);
  ASSERT_TRUE(reopened.ok());
  store_ = std::move(reopened).value();
  EXPECT_EQ(store_->info().last_seq, 10);
  auto db = OpenReadOnly(dir_.path());
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(ReadStoreInfo(**db)->last_seq, 10);
  std::vector<AppendOutcome> outcomes;
  auto group = store_->BeginGroup();
  ASSERT_TRUE(group.ok());
  ASSERT_TRUE(group->Append(test_support::Sales("new", 2), kNow, &outcomes).ok());
  ASSERT_TRUE(group->Commit().ok());
  EXPECT_EQ(outcomes[0].seq, 11);
  EXPECT_EQ(outcomes[1].seq, 12);
  EXPECT_EQ(StoredSeqs(), (std::vector<int64_t>{10, 11, 12}));
}

TEST_F(EventPruningTest, AYoungEventHoldsBackEverythingAfterItSoNoHoleOpens) {
  Append(test_support::Sales("a", 5, kCut - 10 * kDayMs), kCut - 10 * kDayMs);  // seqs 1–5: old
  // Seq 6: a till's sale of January that reached the edge only last week: its record is young.
  Append({test_support::Sale("late", 1, 100, common::Channel::kStore, kCut - 10 * kDayMs)},
         kNow - 7 * kDayMs);
  Append(test_support::Sales("b", 5, kCut - 9 * kDayMs), kCut - 9 * kDayMs);  // seqs 7–11: old
  Append(test_support::Sales("c", 1, kNow), kNow);                            // seq 12
  auto done = store_->Prune(12, kCut, 1000);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->pruned, 5);
  EXPECT_EQ(done->pruned_through, 5);
  EXPECT_EQ(done->oldest_kept_received_ms, kNow - 7 * kDayMs);
  EXPECT_EQ(StoredSeqs(), (std::vector<int64_t>{6, 7, 8, 9, 10, 11, 12}));
}

TEST_F(EventPruningTest, AnEventWhoseTimeIsRecentStaysEvenIfStoredLongAgo) {
  // Stored before the cut but timed after it (ts may lead the edge's clock by up to 24 h).
  Append(test_support::Sales("ahead", 3, kCut + 3600'000), kCut - 3600'000);
  Append(test_support::Sales("now", 1, kNow), kNow);
  auto done = store_->Prune(4, kCut, 1000);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->pruned, 0);
  EXPECT_EQ(done->pruned_through, 0);
}

TEST_F(EventPruningTest, ReplicationReadsStartAtTheFirstEventKept) {
  const auto events = test_support::Sales("old", 10, kCut - kDayMs);
  Append(events, kCut - kDayMs);
  ASSERT_TRUE(store_->Prune(5, kCut, 1000).ok());
  auto db = OpenReadOnly(dir_.path());
  ASSERT_TRUE(db.ok());
  std::vector<std::string> bodies;
  auto first = ReadBodies(**db, 2, 3, 1 << 20, &bodies);  // seqs 2–5 are gone
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 6);
  EXPECT_EQ(bodies, test_support::StoredBodies({events.begin() + 5, events.begin() + 8}));
  bodies.clear();
  first = ReadBodies(**db, 7, 100, 1 << 20, &bodies);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 7);
  EXPECT_EQ(bodies.size(), 4u);
}

TEST_F(EventPruningTest, PrunedPagesAreReusedAndTheFileDoesNotShrink) {
  for (int i = 0; i < 10; ++i) {
    Append(test_support::Sales("old" + std::to_string(i), 500, kCut - kDayMs), kCut - kDayMs);
  }
  Append(test_support::Sales("now", 1, kNow), kNow);
  SQLite::Database db(EdgeDatabasePath(dir_.path()), SQLite::OPEN_READONLY);
  const int64_t pages = db.execAndGet("PRAGMA page_count").getInt64();
  auto done = store_->Prune(store_->info().last_seq, kCut, 10'000);
  ASSERT_TRUE(done.ok());
  ASSERT_EQ(done->pruned, 5000);
  EXPECT_EQ(db.execAndGet("PRAGMA page_count").getInt64(), pages);  // no auto_vacuum
  const int64_t free_pages = db.execAndGet("PRAGMA freelist_count").getInt64();
  EXPECT_GT(free_pages, 0);
  for (int i = 0; i < 5; ++i) {
    Append(test_support::Sales("new" + std::to_string(i), 500, kNow), kNow);
  }
  EXPECT_LT(db.execAndGet("PRAGMA freelist_count").getInt64(), free_pages);
  EXPECT_LE(db.execAndGet("PRAGMA page_count").getInt64(), pages);  // new events fill them
}

}  // namespace
}  // namespace storepulse::edge
