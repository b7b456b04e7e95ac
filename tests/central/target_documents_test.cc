// Central's targets on its document board (central/target_documents.h): one document per store,
// its own, its region's and the network's targets; republished when a store changes region.
#include "central/target_documents.h"

#include <gtest/gtest.h>

#include "common/targets/targets_document.h"
#include "common/transport/curve_keys.h"

namespace storepulse::central {
namespace {

std::shared_ptr<const StoreDirectory> Directory(const std::string& s2_region) {
  const std::string text =
      std::string(kStoresFileHeader) + "\n" + "S1," + common::GenerateCurveKeyPair()->public_key +
      ",One,north,Europe/Paris,\n" + "S2," + common::GenerateCurveKeyPair()->public_key + ",Two," +
      s2_region + ",Europe/Paris,\n";
  auto directory = StoreDirectory::Parse(text);
  EXPECT_TRUE(directory.ok()) << directory.status().message();
  return *directory;
}

TEST(TargetDocumentsTest, EachStoreGetsItsOwnDocumentAndARegionChangeRepublishes) {
  const common::TargetList targets = *common::ParseTargets(
      "scope,kpi,period,target\n"
      "store:S1,net_sales,day,1000\n"
      "store:S2,net_sales,day,2000\n"
      "region:north,net_sales,week,9000\n"
      "region:south,net_sales,week,7000\n"
      "network,aov,week,1500\n");
  DocumentBoard board;
  PublishTargets(board, *Directory("north"), targets, 1'000);
  auto s1 = board.Current(common::kTargetsDocument, "S1");
  auto s2 = board.Current(common::kTargetsDocument, "S2");
  ASSERT_TRUE(s1 && s2);
  EXPECT_EQ(*s1->rows, common::TargetsRows(targets, "S1", "north"));
  EXPECT_EQ(s1->rows->size(), 3u);  // S1's, north's, the network's
  EXPECT_TRUE(s1->rows->count("store:S1|net_sales|day"));
  EXPECT_FALSE(s1->rows->count("store:S2|net_sales|day"));
  EXPECT_TRUE(s2->rows->count("region:north|net_sales|week"));
  EXPECT_FALSE(board.Current(common::kTargetsDocument, "S3").has_value());

  // S2 moves south (SIGHUP re-read the stores file): its document changes, S1's does not.
  PublishTargets(board, *Directory("south"), targets, 2'000);
  auto s1_after = board.Current(common::kTargetsDocument, "S1");
  auto s2_after = board.Current(common::kTargetsDocument, "S2");
  EXPECT_EQ(s1_after->version, s1->version);
  EXPECT_EQ(s1_after->published_ms, 1'000);
  EXPECT_NE(s2_after->version, s2->version);
  EXPECT_TRUE(s2_after->rows->count("region:south|net_sales|week"));
  EXPECT_FALSE(s2_after->rows->count("region:north|net_sales|week"));

  // Every target gone: an empty document, so the edge drops what it held.
  PublishTargets(board, *Directory("south"), {}, 3'000);
  EXPECT_TRUE(board.Current(common::kTargetsDocument, "S1")->rows->empty());
}

}  // namespace
}  // namespace storepulse::central
