#include "common/protocol/messages.h"

#include <gtest/gtest.h>

#include <random>

#include "common/protocol/message_rules.h"

namespace storepulse::common::wire {
namespace {

template <typename T>
T RoundTrip(const T& message) {
  auto decoded = Decode(Encode(message));
  EXPECT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_TRUE(std::holds_alternative<T>(*decoded));
  return std::get<T>(*decoded);
}

TEST(ProtocolTest, EveryMessageSurvivesARoundTrip) {
  Hello hello = RoundTrip(Hello{"S1", "abc", 42, "0.1.0"});
  EXPECT_EQ(hello.store, "S1");
  EXPECT_EQ(hello.last_seq, 42);
  EXPECT_EQ(RoundTrip(Welcome{"abc", 40, 1700}).acked_seq, 40);
  Batch batch = RoundTrip(Batch{"abc", 41, {std::string("\x00\x01", 2), "xyz"}});
  EXPECT_EQ(batch.first_seq, 41);
  EXPECT_EQ(batch.events, (std::vector<std::string>{std::string("\x00\x01", 2), "xyz"}));
  EXPECT_EQ(RoundTrip(Ack{"abc", 43}).acked_seq, 43);
  Heartbeat beat{1, 2, 3, 4, 5, 6, 7, false, "v"};
  Heartbeat back = RoundTrip(beat);
  EXPECT_EQ(back.backlog_value, 5);
  EXPECT_EQ(back.disk_accepting, false);
  EXPECT_EQ(RoundTrip(Error{"gap", "m", "abc", 9}).code, "gap");
}

// Retention: a batch after a pruned prefix says so; any other batch keeps version 1's three fields.
TEST(ProtocolTest, ABatchCarriesWhatTheEdgePrunedOnlyWhenItPrunedSomething) {
  Batch after_pruning = RoundTrip(Batch{"abc", 41, {"e"}, 40});
  EXPECT_EQ(after_pruning.pruned_to, 40);
  EXPECT_EQ(RoundTrip(Batch{"abc", 41, {"e"}}).pruned_to, 0);
  EXPECT_EQ(Encode(Batch{"abc", 41, {"e"}, 0})[0], '\x95');  // [version, type, 3 fields]
  EXPECT_EQ(Encode(Batch{"abc", 41, {"e"}, 40})[0], '\x96');
  EXPECT_TRUE(CheckBatch(Batch{"abc", 41, {"e"}, 40}).ok());
  Status at_first = CheckBatch(Batch{"abc", 41, {"e"}, 41});
  ASSERT_FALSE(at_first.ok());
  EXPECT_NE(at_first.message().find("pruned_to"), std::string::npos) << at_first.message();
  EXPECT_FALSE(CheckBatch(Batch{"abc", 41, {"e"}, -1}).ok());
}

TEST(ProtocolTest, ForeignVersionsAndShapesAreRefusedWithReasons) {
  auto version = Decode(std::string("\x93\x02\x01\xa1x", 5));
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(version.status().message().find("version 2"), std::string::npos);
  EXPECT_FALSE(Decode("").ok());
  EXPECT_FALSE(Decode(std::string("\x92\x01\x09", 3)).ok());  // unknown type 9
  EXPECT_FALSE(Decode(std::string("\x93\x01\x01\x05", 4)).ok());  // hello missing fields
}

TEST(ProtocolTest, ABatchOfMoreEventsThanTheLimitIsRefusedBeforeItIsBuilt) {
  Batch full{"abc", 1, std::vector<std::string>(10'000, "e")};
  EXPECT_TRUE(Decode(Encode(full)).ok());
  Batch over{"abc", 1, std::vector<std::string>(10'001, "e")};
  EXPECT_FALSE(Decode(Encode(over)).ok());
}

TEST(ProtocolTest, RandomBytesNeverCrashTheDecoder) {
  std::mt19937 random(7);
  std::string valid = Encode(Batch{"abc", 1, {"e1", "e2"}});
  for (int i = 0; i < 5000; ++i) {
    std::string bytes = valid;
    for (int flips = 0; flips < 3; ++flips) bytes[random() % bytes.size()] = char(random());
    if (i % 2) bytes.resize(random() % bytes.size());
    (void)Decode(bytes);  // must return, OK or not
  }
  SUCCEED();
}

}  // namespace
}  // namespace storepulse::common::wire
