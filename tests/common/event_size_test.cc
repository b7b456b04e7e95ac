// EventSizeMeter: an event's size is the length of its compact JSON form and its nesting the
// containers around its deepest value; and every codec (JSON array, JSON Lines, msgpack) reports
// exactly that size for the same document, however it was spaced or escaped.

#include "common/event_size.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "common/event_codec.h"
#include "common/event_limits.h"

namespace storepulse::common {
namespace {

using nlohmann::json;

// Feeds `value` to `meter` the way the parsers do.
void Feed(const json& value, EventSizeMeter& meter) {
  switch (value.type()) {
    case json::value_t::null:
      return meter.Null();
    case json::value_t::boolean:
      return meter.Bool(value.get<bool>());
    case json::value_t::number_integer:
      return meter.Integer(value.get<int64_t>());
    case json::value_t::number_unsigned:
      return meter.Unsigned(value.get<uint64_t>());
    case json::value_t::number_float:
      return meter.Float(value.get<double>());
    case json::value_t::string:
      return meter.String(value.get_ref<const std::string&>());
    case json::value_t::array:
      meter.StartArray();
      for (const json& item : value) Feed(item, meter);
      return meter.End();
    case json::value_t::object:
      meter.StartMap();
      for (const auto& [key, member] : value.items()) {
        meter.String(key);
        meter.EndKey();
        Feed(member, meter);
      }
      return meter.End();
    default:
      FAIL() << "unexpected type";
  }
}

EventSizeMeter Measure(const json& value) {
  EventSizeMeter meter;
  Feed(value, meter);
  return meter;
}

TEST(EventSizeMeterTest, SizeIsTheCompactJsonLength) {
  for (const char* text :
       {R"({})", R"([])", R"({"a":1})", R"([1,2,3])", R"({"a":[],"b":{},"c":[{}]})",
        R"({"id":"x","n":null,"t":true,"f":false,"neg":-12,"big":18446744073709551615})",
        R"({"lines":[{"sku":"a","qty":1},{"sku":"b","qty":2}]})", R"("just a string")", R"(0)",
        R"({"nested":[[[[[["deep"]]]]]],"after":1})"}) {
    const json value = json::parse(text);
    EXPECT_EQ(Measure(value).bytes(), value.dump().size()) << text;
  }
}

TEST(EventSizeMeterTest, StringsCountAsCompactJsonEscapesThem) {
  EXPECT_EQ(EventSizeMeter::JsonStringBytes(""), 2u);
  EXPECT_EQ(EventSizeMeter::JsonStringBytes("abc"), 5u);
  EXPECT_EQ(EventSizeMeter::JsonStringBytes("a\"b\\c/"), 2u + 8u);  // "/" is not escaped
  EXPECT_EQ(EventSizeMeter::JsonStringBytes("\b\f\n\r\t"), 2u + 10u);
  EXPECT_EQ(EventSizeMeter::JsonStringBytes(std::string("\x00\x01\x1f", 3)), 2u + 18u);
  EXPECT_EQ(EventSizeMeter::JsonStringBytes("\x7f\xc3\xa9"), 2u + 3u);  // DEL and é as they are
  std::string every_byte;
  for (int c = 1; c < 0x80; ++c) every_byte.push_back(static_cast<char>(c));
  every_byte += "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";  // é € 😀
  EXPECT_EQ(EventSizeMeter::JsonStringBytes(every_byte), json(every_byte).dump().size());
}

TEST(EventSizeMeterTest, FloatsCountAsTheirShortestForm) {
  const auto float_bytes = [](double value) {
    EventSizeMeter meter;
    meter.Float(value);
    return meter.bytes();
  };
  EXPECT_EQ(float_bytes(900.0), 3u);  // 900
  EXPECT_EQ(float_bytes(0.5), 3u);    // 0.5
  EXPECT_EQ(float_bytes(-2.25), 5u);  // -2.25
  EXPECT_EQ(float_bytes(1e30), 5u);   // 1e+30
}

TEST(EventSizeMeterTest, NonJsonValuesAndKeysCountAsDocumented) {
  EventSizeMeter meter;  // {<7>:<bin of 10 bytes>} as msgpack may send it
  meter.StartMap();
  meter.Integer(7);
  meter.EndKey();
  meter.Opaque(10);
  meter.End();
  EXPECT_EQ(meter.bytes(), 2u + 1u + 1u + 10u);
}

TEST(EventSizeMeterTest, LevelsCountContainersAroundTheDeepestValue) {
  EXPECT_EQ(Measure(json::parse("1")).levels(), 0u);
  EXPECT_EQ(Measure(json::parse(R"({"a":1})")).levels(), 1u);
  EXPECT_EQ(Measure(json::parse(R"({"lines":[{"qty":1}]})")).levels(), 3u);
  EXPECT_EQ(Measure(json::parse(R"({"a":[[]],"b":2})")).levels(), 3u);
}

TEST(EventSizeMeterTest, LimitsAreNestingFirstThenSize) {
  json event = {{"pad", std::string(kMaxEventBytes, 'p')}};
  EXPECT_EQ(
      Measure(event).CheckLimits().message(),
      "event is " + std::to_string(kMaxEventBytes + 10) + " bytes, over the 65536-byte limit");
  json deep = 0;
  for (size_t i = 0; i < kMaxEventDepth; ++i) deep = json::array({deep});
  EXPECT_TRUE(Measure(deep).CheckLimits().ok());
  EXPECT_TRUE(Measure(deep).WithinLimits());
  event["deep"] = deep;  // 33 levels, and over the size
  EXPECT_EQ(Measure(event).CheckLimits().message(), "event nests deeper than 32 levels");
  EXPECT_FALSE(Measure(event).WithinLimits());
}

TEST(EventSizeMeterTest, PastTheDepthLimitOnlyLevelsAreCounted) {
  EventSizeMeter meter;
  constexpr size_t kLevels = 1'000'000;
  for (size_t i = 0; i < kLevels; ++i) meter.StartArray();
  const size_t frozen = meter.bytes();
  meter.String(std::string(1000, 'x'));
  for (size_t i = 0; i < kLevels; ++i) meter.End();
  EXPECT_EQ(meter.bytes(), frozen);
  EXPECT_EQ(frozen, 2 * kMaxEventDepth);  // the brackets of the first 32 levels
  EXPECT_EQ(meter.levels(), kLevels);
  EXPECT_EQ(meter.depth(), 0u);
}

// A random document of every JSON kind: strings with any byte JSON allows, numbers of every form.
json RandomValue(std::mt19937_64& random, int depth) {
  const int kind = static_cast<int>(random() % (depth > 4 ? 6 : 8));
  switch (kind) {
    case 0:
      return nullptr;
    case 1:
      return random() % 2 == 0;
    case 2:
      return static_cast<int64_t>(random()) >> (random() % 64);
    case 3:
      return static_cast<double>(static_cast<int64_t>(random() % 100000)) / 8.0;
    case 4:
    case 5: {
      std::string text;
      const size_t size = random() % 40;
      for (size_t i = 0; i < size; ++i) {
        const uint64_t pick = random() % 10;
        if (pick == 0) {
          text += static_cast<char>(random() % 0x20);
        } else if (pick == 1) {
          text += "\xc3\xa9";
        } else {
          text += static_cast<char>(0x20 + random() % 0x5f);
        }
      }
      return text;
    }
    case 6: {
      json array = json::array();
      for (size_t i = random() % 6; i > 0; --i) array.push_back(RandomValue(random, depth + 1));
      return array;
    }
    default: {
      json object = json::object();
      for (size_t i = random() % 6; i > 0; --i) {
        object["k" + std::to_string(random() % 100)] = RandomValue(random, depth + 1);
      }
      return object;
    }
  }
}

// Every codec reports the meter's size for events over the limit: the number in the message.
TEST(EventSizeMeterTest, EveryCodecReportsTheSameSizeForRandomDocuments) {
  std::mt19937_64 random(8);
  for (int round = 0; round < 40; ++round) {
    json event = {{"id", "r" + std::to_string(round)}, {"type", "footfall"}};
    while (Measure(event).bytes() <= kMaxEventBytes) {
      event["x" + std::to_string(random() % 100000)] = RandomValue(random, 1);
    }
    const std::string expected = Measure(event).CheckLimits().message();
    ASSERT_TRUE(expected.starts_with("event is ")) << expected;
    const std::vector<uint8_t> packed = json::to_msgpack(json::array({event}));
    for (const auto& [name, body] : std::vector<std::pair<std::string, std::string>>{
             {"JSON Lines", event.dump() + "\n"},
             {"JSON array", "[" + event.dump(1) + "]"},
             {"msgpack", std::string(packed.begin(), packed.end())}}) {
      const auto batch = name == "msgpack" ? DecodeMsgpackBatch(body) : DecodeJsonBatch(body);
      ASSERT_TRUE(batch.ok()) << name << ": " << batch.status().message();
      ASSERT_EQ(batch->size(), 1u) << name;
      EXPECT_EQ((*batch)[0].event.status().message(), expected) << name << " round " << round;
      EXPECT_EQ((*batch)[0].id, "r" + std::to_string(round)) << name;
    }
  }
}

}  // namespace
}  // namespace storepulse::common
