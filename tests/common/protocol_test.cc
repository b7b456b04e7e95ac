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
  Heartbeat beat{1, 2, 3, 4, 5, 6, 7, false, "v", {}};
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

// Source health: the silent sources ride as an optional 10th field, after the nine every version-1
// central reads; a heartbeat with none is byte for byte the older one.
TEST(ProtocolTest, AHeartbeatCarriesSilentSourcesOnlyWhenThereAreSome) {
  const Heartbeat quiet{1'800'000'000'000, 2, 3, 4, 5, 6, 7, true, "v", {}};
  Heartbeat loud = quiet;
  loud.silent_sources = {{"counter", "door 2", 1'799'999'000'000, 1'799'999'600'000},
                         {"till", "3", 1'799'998'000'000, 1'799'998'900'000}};
  EXPECT_EQ(RoundTrip(loud).silent_sources, loud.silent_sources);
  EXPECT_TRUE(RoundTrip(quiet).silent_sources.empty());
  const std::string old_shape = Encode(quiet), new_shape = Encode(loud);
  EXPECT_EQ(old_shape[0], '\x9b');  // [version, type, 9 fields]: what older edges send
  EXPECT_EQ(new_shape[0], '\x9c');
  // The nine fields come first, unchanged: an older central (which reads the first nine fields of
  // an array of at least eleven) reads the same figures and ignores the sources.
  EXPECT_EQ(new_shape.substr(1, old_shape.size() - 1), old_shape.substr(1));
  // And a later edge's further field is ignored here the same way.
  std::string later = new_shape;
  later[0] = '\x9d';
  later += '\xc0';  // nil
  auto decoded = Decode(later);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(std::get<Heartbeat>(*decoded).silent_sources, loud.silent_sources);
  EXPECT_TRUE(CheckHeartbeat(loud).ok());
}

TEST(ProtocolTest, AbsurdSilentSourcesAreRefusedWithTheFieldNamed) {
  const Heartbeat base{1'800'000'000'000, 2, 3, 4, 5, 6, 7, true, "v", {}};
  auto refusal = [&](SilentSource source) {
    Heartbeat beat = base;
    beat.silent_sources = {std::move(source)};
    Status status = CheckHeartbeat(beat);
    return status.ok() ? std::string() : status.message();
  };
  EXPECT_NE(refusal({"Till!", "3", 1'799'999'000'000, 1'799'999'000'000}).find("kind"),
            std::string::npos);
  EXPECT_NE(refusal({"till", "", 1'799'999'000'000, 1'799'999'000'000}).find("id"),
            std::string::npos);
  EXPECT_NE(refusal({"till", std::string(257, 'x'), 1'799'999'000'000, 1'799'999'000'000})
                .find("id"),
            std::string::npos);
  EXPECT_NE(refusal({"till", "3", 5, 6}).find("last_seen_ms"), std::string::npos);
  EXPECT_NE(refusal({"till", "3", 1'799'999'000'000, 1'799'998'000'000}).find("silent_since_ms"),
            std::string::npos);
  Heartbeat crowded = base;
  crowded.silent_sources.assign(1001, {"till", "3", 1'799'999'000'000, 1'799'999'000'000});
  EXPECT_FALSE(CheckHeartbeat(crowded).ok());
  // A 10th field that is not a list of sources is a malformed heartbeat.
  std::string bad = Encode(base);
  bad[0] = '\x9c';
  bad += '\x05';
  EXPECT_FALSE(Decode(bad).ok());
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
