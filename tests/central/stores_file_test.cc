#include "central/stores_file.h"

#include <gtest/gtest.h>

#include "common/transport/curve_keys.h"

namespace storepulse::central {
namespace {

const std::string kHeader = "store,public_key,name,region,timezone,area_m2\n";

std::string Key() { return common::GenerateCurveKeyPair()->public_key; }

TEST(StoresFileTest, ParsesStoresWithQuotedNamesAndFindsThemByKeyAndId) {
  std::string k1 = Key(), k2 = Key();
  auto directory = StoreDirectory::Parse(kHeader + "S1," + k1 +
                                         ",\"Paris, Rivoli\",north,Europe/Paris,1200\n"
                                         "S2," + k2 + ",Mumbai,asia,Asia/Kolkata,\n");
  ASSERT_TRUE(directory.ok()) << directory.status().message();
  ASSERT_EQ((*directory)->stores().size(), 2u);
  EXPECT_EQ((*directory)->FindByKey(k1)->name, "Paris, Rivoli");
  EXPECT_EQ((*directory)->FindByStore("S2")->zone.name(), "Asia/Kolkata");
  EXPECT_EQ((*directory)->FindByStore("S2")->area_m2, 0);
  EXPECT_EQ((*directory)->FindByKey(Key()), nullptr);
}

TEST(StoresFileTest, ABadRowIsRefusedWithItsLineAndReason) {
  std::string k = Key();
  struct Case {
    std::string text;
    std::string message;
  } cases[] = {
      {"store,key\n", "first line must be the header"},
      {kHeader + "S1,notakey,n,r,UTC,1\n", "line 2: public_key of store S1"},
      {kHeader + "S1," + k + ",n,r,Mars/Olympus,1\n", "line 2: unknown time zone"},
      {kHeader + "S1," + k + ",n,r,UTC,-5\n", "line 2: area_m2"},
      {kHeader + "S1," + k + ",n,r,UTC\n", "line 2: expected 6 fields"},
      {kHeader + "S1," + k + ",n,r,UTC,1\nS1," + Key() + ",n,r,UTC,1\n", "listed twice"},
      {kHeader + "S1," + k + ",n,r,UTC,1\nS2," + k + ",n,r,UTC,1\n", "already used"},
  };
  for (const Case& c : cases) {
    auto directory = StoreDirectory::Parse(c.text);
    ASSERT_FALSE(directory.ok()) << c.text;
    EXPECT_NE(directory.status().message().find(c.message), std::string::npos)
        << directory.status().message();
  }
}

// The sales area divides the KPIs per m²: "nan" or "inf" (which std::stod reads) made every such
// KPI of the store NaN or 0 instead of refusing the file (found writing the properties of
// tests/fuzz/stores_file_fuzzer.cc: areas finite and >= 0).
TEST(StoresFileTest, AnAreaThatIsNotAFiniteNumberIsRefused) {
  const std::string k = Key();
  for (const std::string area : {"nan", "NAN", "-nan", "inf", "-inf", "infinity", "1e999"}) {
    auto directory = StoreDirectory::Parse(kHeader + "S1," + k + ",n,r,UTC," + area + "\n");
    ASSERT_FALSE(directory.ok()) << "area_m2 " << area << " was accepted";
    EXPECT_NE(directory.status().message().find("line 2: area_m2"), std::string::npos)
        << directory.status().message();
    EXPECT_FALSE(ParseStoresFileLine("S1," + k + ",n,r,UTC," + area).ok()) << area;
  }
}

// `storepulse enroll` formats a store's line and `storepulse stores add` checks one alone: both
// with the parser central reads the file with, quoting what needs it.
TEST(StoresFileTest, OneLineIsFormattedAndParsedAsTheFileHoldsIt) {
  const std::string k = Key();
  StoreEntry entry{"S-1", k, "Paris, \"Rivoli\"", " north", *common::TimeZone::Load("Asia/Kolkata"),
                   1200.25};
  const std::string line = FormatStoresFileLine(entry);
  EXPECT_EQ(line, "S-1," + k + ",\"Paris, \"\"Rivoli\"\"\",\" north\",Asia/Kolkata,1200.25");
  auto parsed = ParseStoresFileLine(line);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->name, "Paris, \"Rivoli\"");
  EXPECT_EQ(parsed->region, " north");
  EXPECT_EQ(parsed->area_m2, 1200.25);
  auto directory = StoreDirectory::Parse(kHeader + line + "\n");
  ASSERT_TRUE(directory.ok()) << directory.status().message();
  EXPECT_EQ((*directory)->FindByStore("S-1")->name, "Paris, \"Rivoli\"");

  entry.area_m2 = 0;  // unknown: an empty cell
  EXPECT_EQ(FormatStoresFileLine(entry).back(), ',');
  // Errors name the field, without the line number of a file.
  auto bad = ParseStoresFileLine("S1,notakey,n,r,UTC,1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("public_key of store S1", 0), 0u)
      << bad.status().message();
  EXPECT_FALSE(ParseStoresFileLine("S1," + k + ",n,r,UTC,1\nS2," + Key() + ",n,r,UTC,1").ok());
  EXPECT_FALSE(ParseStoresFileLine("").ok());
}

}  // namespace
}  // namespace storepulse::central
