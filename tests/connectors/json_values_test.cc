// Values out of sources' JSON: ids as numbers or strings, decimal amounts exactly.
#include <gtest/gtest.h>

#include "edge/connectors/json_values.h"

namespace storepulse::edge {
namespace {

using nlohmann::json;

TEST(JsonValuesTest, IdsAreNonEmptyStringsOrIntegers) {
  EXPECT_EQ(JsonIdText(json::parse("5830000000001")), "5830000000001");
  EXPECT_EQ(JsonIdText(json::parse("18446744073709551615")), "18446744073709551615");
  EXPECT_EQ(JsonIdText(json("#1001")), "#1001");
  for (const char* none : {"null", "false", "\"\"", "1.5", "{}", "[1, \"Shop\"]"}) {
    EXPECT_FALSE(JsonIdText(json::parse(none)).has_value()) << none;
  }
  json object = {{"a", nullptr}, {"b", 2}};
  EXPECT_EQ(JsonField(object, "a"), nullptr);
  EXPECT_EQ(JsonField(object, "c"), nullptr);
  EXPECT_EQ(*JsonField(object, "b"), 2);
  EXPECT_EQ(JsonField(json::array(), "b"), nullptr);
}

TEST(JsonValuesTest, DecimalsAreExactFromStringsIntegersAndFloats) {
  EXPECT_EQ(*JsonDecimal(json("19.99"), 2), 1999);
  EXPECT_EQ(*JsonDecimal(json::parse("19.99"), 2), 1999);
  EXPECT_EQ(*JsonDecimal(json::parse("0.1"), 2), 10);
  EXPECT_EQ(*JsonDecimal(json::parse("15.0"), 4), 150000);
  EXPECT_EQ(*JsonDecimal(json::parse("-3.0"), 6), -3000000);
  EXPECT_EQ(*JsonDecimal(json::parse("12"), 2), 1200);
  // A float sum's binary noise beyond 15 significant digits is not a decimal place.
  EXPECT_EQ(*JsonDecimal(json(0.1 + 0.2), 2), 30);
  EXPECT_EQ(*JsonDecimal(json::parse("1.2000000000000002"), 3), 1200);
  EXPECT_FALSE(JsonDecimal(json::parse("12.505"), 2).ok());  // a real third decimal place
  EXPECT_FALSE(JsonDecimal(json::parse("1e-7"), 6).ok());
  EXPECT_FALSE(JsonDecimal(json::parse("true"), 2).ok());
  EXPECT_FALSE(JsonDecimal(json(nullptr), 2).ok());
}

}  // namespace
}  // namespace storepulse::edge
