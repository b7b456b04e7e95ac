#include "central/refusals.h"

#include <gtest/gtest.h>

#include <string>

namespace storepulse::central {
namespace {

Refusal UnknownKey(int i) {
  return {"unknown_key", "key-" + std::to_string(i), "", "10.0.0.1", "not in the stores file", 0, 0};
}

int CountLines(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(RefusalsTest, AFloodOfUnknownKeysKeepsBoundedRowsAndCountsEveryOne) {
  Refusals refusals;
  refusals.Record({"wrong_store", "k-par", "PAR1", "", "speaks for NYC1", 0, 0}, 1'000);
  testing::internal::CaptureStderr();
  for (int i = 0; i < 12'000; ++i) refusals.Record(UnknownKey(i), 2'000 + i);  // within 12 s
  std::string log = testing::internal::GetCapturedStderr();

  EXPECT_EQ(refusals.Total(), 12'001);
  EXPECT_EQ(refusals.CountForStore("PAR1"), 1);  // a store's row survives the flood
  nlohmann::json rows = refusals.ToJson();
  // The store's row, the 100 most recent keys, and one row summing the 11,900 others.
  ASSERT_EQ(rows.size(), 1 + Refusals::kMaxAnonymous + 1);
  EXPECT_EQ(rows[0]["key"], "key-11999");
  const nlohmann::json& others = rows.back();
  EXPECT_EQ(others["reason"], "unknown_key");
  EXPECT_EQ(others["count"], 11'900);
  EXPECT_EQ(others["last"], "1970-01-01T00:00:13.899Z");  // key-11899's refusal, at 13,899 ms
  EXPECT_EQ(CountLines(log, "unknown_key"), 1);  // one line a minute for all strangers
}

TEST(RefusalsTest, UnknownKeysAreLoggedOnceAMinuteWithWhatWasNotLogged) {
  Refusals refusals;
  testing::internal::CaptureStderr();
  refusals.Record(UnknownKey(1), 0);
  refusals.Record(UnknownKey(2), 30'000);
  refusals.Record(UnknownKey(3), 59'999);
  refusals.Record(UnknownKey(4), 60'000);
  std::string log = testing::internal::GetCapturedStderr();
  EXPECT_EQ(CountLines(log, "unknown_key"), 2) << log;
  EXPECT_NE(log.find("[2 more of this kind since the last line]"), std::string::npos) << log;
}

TEST(RefusalsTest, RepeatedRefusalsOfOneKeyShareARow) {
  Refusals refusals;
  for (int i = 0; i < 5; ++i) refusals.Record(UnknownKey(7), i);
  nlohmann::json rows = refusals.ToJson();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["count"], 5);
  EXPECT_EQ(refusals.Total(), 5);
}

// Several centrals over one database: another central's rows (its OwnJson) count and show here,
// marked with that central; this central's own rows are what it shares.
TEST(RefusalsTest, AnotherCentralsRefusalsShowBesideThisOnes) {
  Refusals here, there;
  here.Record({"wrong_store", "k1", "PAR1", "10.0.0.1", "speaks for LYS1", 0, 0}, 1'000);
  there.Record({"wrong_store", "k1", "PAR1", "10.0.0.1", "speaks for LYS1", 0, 0}, 2'000);
  there.Record(UnknownKey(7), 3'000);
  here.SetOthers({{"central-b:42", there.OwnJson()}});
  EXPECT_EQ(here.Total(), 3);
  EXPECT_EQ(here.CountForStore("PAR1"), 2);
  EXPECT_EQ(here.OwnJson().size(), 1u);  // what it shares stays its own
  nlohmann::json rows = here.ToJson();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["key"], "key-7");  // most recent first
  EXPECT_EQ(rows[0]["central"], "central-b:42");
  EXPECT_FALSE(rows[2].contains("central"));  // this central's row, the oldest
  there.Record(UnknownKey(8), 4'000);
  here.SetOthers({{"central-b:42", there.OwnJson()}});  // replaces what it said before
  EXPECT_EQ(here.Total(), 4);
  here.SetOthers({});  // that central stopped for good
  EXPECT_EQ(here.Total(), 1);
}

}  // namespace
}  // namespace storepulse::central
