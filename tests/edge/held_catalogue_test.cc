// The catalogue the edge holds (edge/held_catalogue.h): none until central sends one, parsed once
// per version and shared by every query, a new version taken at once, a corrupted one not used.
#include "edge/held_catalogue.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "common/reference/catalogue_file.h"
#include "common/reference/catalogue_rows.h"
#include "edge/reference_store.h"
#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

class HeldCatalogueTest : public ::testing::Test {
 protected:
  HeldCatalogueTest()
      : db_(dir_.path() + "/edge.db", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
    CreateReferenceTables(db_);
  }
  void Give(const std::string& csv, int64_t now_ms) {
    const common::Catalogue catalogue = *common::ParseCatalogueCsv(csv, 0);
    ASSERT_TRUE(StoreSnapshot(db_, common::kCatalogueDocument, catalogue.version(),
                              common::CatalogueRows(catalogue), now_ms)
                    .ok());
  }
  test_support::TempDir dir_;
  SQLite::Database db_;
};

constexpr const char* kHeader = "sku,name,category,brand,unit_cost,valid_from\n";

TEST_F(HeldCatalogueTest, NoneUntilOneArrivesThenOneParsePerVersion) {
  EXPECT_EQ(HeldCatalogue(db_), nullptr);
  Give(std::string(kHeader) + "MUG,Blue mug,Kitchen,Acme,300,\n", 5000);
  const auto first = HeldCatalogue(db_);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->Find("MUG")->name, "Blue mug");
  EXPECT_EQ(first->received_ms(), 5000);  // its age on the pages
  EXPECT_EQ(HeldCatalogue(db_), first);   // the same object: not parsed again
  Give(std::string(kHeader) + "MUG,Blue mug,Kitchen,Acme,350,\n", 9000);
  const auto second = HeldCatalogue(db_);
  ASSERT_NE(second, nullptr);
  EXPECT_NE(second->version(), first->version());
  EXPECT_EQ(second->CostOn("MUG", 0), 350);
  EXPECT_EQ(second->received_ms(), 9000);
}

TEST_F(HeldCatalogueTest, ACatalogueThatDoesNotParseIsNotUsed) {
  const common::DocumentRows bad = {
      {"MUG", nlohmann::json::parse(R"({"costs":[{"unit_cost":-1}]})")}};
  ASSERT_TRUE(
      StoreSnapshot(db_, common::kCatalogueDocument, common::DocumentVersion(bad), bad, 1).ok());
  EXPECT_EQ(HeldCatalogue(db_), nullptr);
}

}  // namespace
}  // namespace storepulse::edge
