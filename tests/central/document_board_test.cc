// What central publishes to its edges (central/document_board.h).
#include "central/document_board.h"

#include <gtest/gtest.h>

namespace storepulse::central {
namespace {

using common::DocumentRows;

TEST(DocumentBoardTest, AStoreOwnDocumentWinsOverEveryStoresOne) {
  DocumentBoard board;
  EXPECT_FALSE(board.Current("targets", "S1").has_value());
  board.Publish("targets", "", {{"network", 1}}, 1000);
  board.Publish("targets", "S1", {{"store", 2}}, 2000);
  EXPECT_EQ(*board.Current("targets", "S1")->rows, (DocumentRows{{"store", 2}}));
  EXPECT_EQ(*board.Current("targets", "S2")->rows, (DocumentRows{{"network", 1}}));
  EXPECT_EQ(board.Kinds("S2"), std::vector<std::string>{"targets"});
  board.Publish("context", "S1", {}, 2000);
  EXPECT_EQ(board.Kinds("S1"), (std::vector<std::string>{"context", "targets"}));
  EXPECT_EQ(board.Kinds("S2"), std::vector<std::string>{"targets"});
}

TEST(DocumentBoardTest, RepublishingTheSameContentKeepsItsVersionAndTime) {
  DocumentBoard board;
  board.Publish("catalogue", "", {{"A", 1}}, 1000);
  board.Publish("catalogue", "", {{"A", 1}}, 5000);
  const PublishedDocument current = *board.Current("catalogue", "S1");
  EXPECT_EQ(current.version, common::DocumentVersion({{"A", 1}}));
  EXPECT_EQ(current.published_ms, 1000);
}

TEST(DocumentBoardTest, KeepsTheLastFewVersionsToMakeDeltasFrom) {
  DocumentBoard board;
  std::vector<std::string> versions;
  for (int i = 0; i < 6; ++i) {
    board.Publish("catalogue", "", {{"A", i}}, 1000 + i);
    versions.push_back(board.Current("catalogue", "S1")->version);
  }
  EXPECT_EQ(board.Find("catalogue", "S1", versions[0]), nullptr);
  EXPECT_EQ(board.Find("catalogue", "S1", versions[1]), nullptr);
  ASSERT_NE(board.Find("catalogue", "S1", versions[2]), nullptr);
  EXPECT_EQ(*board.Find("catalogue", "S1", versions[2]), (DocumentRows{{"A", 2}}));
  EXPECT_EQ(*board.Find("catalogue", "S1", versions[5]), (DocumentRows{{"A", 5}}));
}

}  // namespace
}  // namespace storepulse::central
