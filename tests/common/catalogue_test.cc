// The product catalogue: its file (line-numbered errors), its rows as a reference document (a
// round trip), the cost in force on a day.
#include "common/reference/catalogue.h"

#include <gtest/gtest.h>

#include "common/reference/catalogue_file.h"
#include "common/reference/catalogue_rows.h"
#include "common/time_zone.h"

namespace storepulse::common {
namespace {

int64_t Day(const char* date) { return *TimeZone::ParseLocalDate(date); }

constexpr const char* kFile =
    "# head office, 2026-11\n"
    "sku,name,category,brand,unit_cost,valid_from\n"
    "MUG,Mug (old label),Kitchen,Acme,300,\n"
    "TEA,Green tea,Grocery,Leaf,150,\n"
    "MUG, Blue mug ,Kitchen,Acme,400,2026-11-18\n"
    "\n"
    "PEN,Pen,Office,,,\n"
    "BAG,Bag,,Acme,90,2026-11-20\n"
    "BAG,Bag,,Acme,,2026-12-01\n";

TEST(CatalogueFileTest, RowsOfOneSkuAreItsCostHistoryAndItsNewestRowNamesIt) {
  StatusOr<Catalogue> catalogue = ParseCatalogueCsv(kFile, 1000);
  ASSERT_TRUE(catalogue.ok()) << catalogue.status().message();
  ASSERT_EQ(catalogue->products().size(), 4u);
  const Product* mug = catalogue->Find("MUG");
  ASSERT_NE(mug, nullptr);
  EXPECT_EQ(mug->name, "Blue mug");  // the newest row's, trimmed
  EXPECT_EQ(mug->category, "Kitchen");
  ASSERT_EQ(mug->costs.size(), 2u);
  EXPECT_EQ(mug->costs[0], (CostStep{std::nullopt, 300}));
  EXPECT_EQ(mug->costs[1], (CostStep{Day("2026-11-18"), 400}));
  EXPECT_EQ(catalogue->CostOn("MUG", Day("1999-01-01")), 300);
  EXPECT_EQ(catalogue->CostOn("MUG", Day("2026-11-17")), 300);
  EXPECT_EQ(catalogue->CostOn("MUG", Day("2026-11-18")), 400);
  EXPECT_EQ(catalogue->CostOn("MUG", Day("2030-01-01")), 400);
  EXPECT_EQ(catalogue->CostOn("PEN", Day("2026-11-18")), std::nullopt);  // known, no cost
  EXPECT_EQ(catalogue->CostOn("BAG", Day("2026-11-19")), std::nullopt);  // not costed yet
  EXPECT_EQ(catalogue->CostOn("BAG", Day("2026-11-20")), 90);
  EXPECT_EQ(catalogue->CostOn("BAG", Day("2026-12-01")), std::nullopt);  // cost withdrawn
  EXPECT_EQ(catalogue->CostOn("NOPE", Day("2026-11-20")), std::nullopt);
  EXPECT_EQ(catalogue->CategoryOf("BAG"), "(none)");
  EXPECT_EQ(catalogue->CategoryOf("NOPE"), "(none)");
  EXPECT_EQ(catalogue->CategoryOf("TEA"), "Grocery");
  EXPECT_EQ(catalogue->received_ms(), 1000);
  EXPECT_EQ(catalogue->version().size(), 16u);
}

TEST(CatalogueFileTest, EveryBadLineIsListedWithItsNumber) {
  const char* text =
      "sku,name,category,brand,unit_cost,valid_from\n"
      "MUG,Mug,Kitchen,Acme,300,\n"
      "MUG,Mug,Kitchen,Acme,310,\n"
      "TEA,Tea,Grocery,Leaf,-5,\n"
      "PEN,Pen,Office,,12.5,\n"
      "BAG,Bag,,Acme,90,2026-02-30\n"
      ",Nothing,,,1,\n"
      "CUP,Cup,Kitchen,Acme,1\n"
      "SPOON,Spoon,Kitchen,Acme,20,2026-11-01\n";
  StatusOr<Catalogue> catalogue = ParseCatalogueCsv(text, 0);
  ASSERT_FALSE(catalogue.ok());
  EXPECT_EQ(catalogue.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(catalogue.status().message(),
            "line 3: a second row for sku \"MUG\" from the same valid_from (first on line 2); "
            "line 4: unit_cost \"-5\" is not a non-negative integer in minor units (450 for "
            "4.50); line 5: unit_cost \"12.5\" is not a non-negative integer in minor units (450 "
            "for 4.50); line 6: valid_from \"2026-02-30\" is not a date YYYY-MM-DD (or empty: "
            "from the beginning); line 7: sku must be 1 to 64 bytes, got 0; line 8: expected 6 "
            "cells (sku,name,category,brand,unit_cost,valid_from), got 5");
}

TEST(CatalogueFileTest, AFileWithoutTheHeaderIsRefused) {
  StatusOr<Catalogue> catalogue = ParseCatalogueCsv("MUG,Mug,Kitchen,Acme,300,\n", 0);
  ASSERT_FALSE(catalogue.ok());
  EXPECT_EQ(catalogue.status().message(),
            "the first line must be the header sku,name,category,brand,unit_cost,valid_from");
}

TEST(CatalogueFileTest, NoPathIsNoCatalogueAndAMissingFileIsNotFound) {
  StatusOr<std::shared_ptr<const Catalogue>> none = LoadCatalogue("", 0);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, nullptr);
  EXPECT_EQ(LoadCatalogue("/nonexistent/catalogue.csv", 0).status().code(), StatusCode::kNotFound);
}

TEST(CatalogueRowsTest, RowsAreKeyedBySkuAndParseBackToTheSameCatalogue) {
  StatusOr<Catalogue> catalogue = ParseCatalogueCsv(kFile, 0);
  ASSERT_TRUE(catalogue.ok());
  const DocumentRows rows = CatalogueRows(*catalogue);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows.at("MUG").dump(),
            R"({"brand":"Acme","category":"Kitchen","costs":[{"from":null,"unit_cost":300},)"
            R"({"from":"2026-11-18","unit_cost":400}],"name":"Blue mug"})");
  EXPECT_EQ(rows.at("PEN")["costs"].dump(), R"([{"from":null,"unit_cost":null}])");
  EXPECT_EQ(DocumentVersion(rows), catalogue->version());
  StatusOr<Catalogue> back = CatalogueFromRows(rows, "", 77);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->products(), catalogue->products());
  EXPECT_EQ(back->version(), catalogue->version());
  EXPECT_EQ(back->received_ms(), 77);
  EXPECT_EQ(CatalogueFromRows(rows, "0123456789abcdef")->version(), "0123456789abcdef");
}

TEST(CatalogueRowsTest, ABadRowIsRefusedNamingItsSku) {
  const auto refused = [](const char* row) {
    DocumentRows rows = {{"OK", nlohmann::json::parse(R"({"name":"fine"})")},
                         {"X", nlohmann::json::parse(row)}};
    StatusOr<Catalogue> catalogue = CatalogueFromRows(rows);
    return catalogue.ok() ? std::string("accepted") : catalogue.status().message();
  };
  EXPECT_EQ(refused(R"([1])"), "catalogue row \"X\": the row must be an object");
  EXPECT_EQ(refused(R"({"name":3})"), "catalogue row \"X\": name must be a string");
  EXPECT_EQ(refused(R"({"costs":[{"from":"2026-13-01","unit_cost":1}]})").substr(0, 19),
            "catalogue row \"X\": ");
  EXPECT_EQ(refused(R"({"costs":[{"from":null,"unit_cost":-1}]})"),
            "catalogue row \"X\": unit_cost must be a non-negative integer (minor units) or null");
  EXPECT_EQ(refused(R"({"costs":[{"from":"2026-11-02","unit_cost":1},)"
                    R"({"from":"2026-11-01","unit_cost":2}]})"),
            "catalogue row \"X\": costs must be in order of their day, each day once");
  EXPECT_EQ(refused(R"({"costs":[{"from":"2026-11-02","unit_cost":1},)"
                    R"({"from":null,"unit_cost":2}]})"),
            "catalogue row \"X\": costs must be in order of their day, each day once");
  EXPECT_EQ(refused(R"({"name":null,"costs":null})"), "accepted");
}

}  // namespace
}  // namespace storepulse::common
