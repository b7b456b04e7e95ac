// The reference documents the edge holds (edge/reference_store.h): whole versions, deltas only
// onto their base, kept across a reopen.
#include "edge/reference_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

using common::DocumentRows;
using common::DocumentVersion;

class ReferenceStoreTest : public ::testing::Test {
 protected:
  ReferenceStoreTest()
      : db_(dir_.path() + "/edge.db", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
    CreateReferenceTables(db_);
  }
  test_support::TempDir dir_;
  SQLite::Database db_;
};

TEST_F(ReferenceStoreTest, ASnapshotReplacesWhatWasHeld) {
  EXPECT_TRUE(ReadHeldVersions(db_).empty());
  EXPECT_FALSE(ReadHeldDocument(db_, "catalogue")->has_value());

  const DocumentRows first{{"A", 1}, {"B", 2}};
  ASSERT_TRUE(StoreSnapshot(db_, "catalogue", DocumentVersion(first), first, 1000).ok());
  const DocumentRows second{{"C", 3}};
  ASSERT_TRUE(StoreSnapshot(db_, "catalogue", DocumentVersion(second), second, 2000).ok());

  const std::optional<HeldDocument> held = *ReadHeldDocument(db_, "catalogue");
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(held->rows, second);
  EXPECT_EQ(held->version, DocumentVersion(second));
  EXPECT_EQ(held->received_ms, 2000);
  EXPECT_EQ(ReadHeldVersions(db_),
            (std::map<std::string, std::string>{{"catalogue", DocumentVersion(second)}}));
}

TEST_F(ReferenceStoreTest, TheSameVersionTwiceIsAppliedOnce) {
  const DocumentRows rows{{"A", 1}};
  ASSERT_TRUE(StoreSnapshot(db_, "reports", DocumentVersion(rows), rows, 1000).ok());
  ASSERT_TRUE(StoreSnapshot(db_, "reports", DocumentVersion(rows), rows, 9000).ok());
  EXPECT_EQ((*ReadHeldDocument(db_, "reports"))->received_ms, 1000);
}

TEST_F(ReferenceStoreTest, ASnapshotWhoseRowsAreNotItsVersionIsRefused) {
  const DocumentRows rows{{"A", 1}};
  EXPECT_EQ(StoreSnapshot(db_, "reports", "0123456789abcdef", rows, 1000).code(),
            common::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ReadHeldVersions(db_).empty());
}

TEST_F(ReferenceStoreTest, ADeltaAppliesOnlyOntoItsBaseAndMustGiveItsVersion) {
  const DocumentRows base{{"A", 1}, {"B", 2}};
  const DocumentRows next{{"A", 1}, {"C", 3}};
  const common::DocumentDelta delta = common::DiffDocuments(base, next);

  // Nothing held: not its base.
  EXPECT_EQ(
      StoreDelta(db_, "catalogue", DocumentVersion(base), DocumentVersion(next), delta, 1).code(),
      common::StatusCode::kFailedPrecondition);

  ASSERT_TRUE(StoreSnapshot(db_, "catalogue", DocumentVersion(base), base, 1000).ok());
  // A delta that does not rebuild the version it names changes nothing.
  EXPECT_EQ(
      StoreDelta(db_, "catalogue", DocumentVersion(base), "0000000000000000", delta, 2000).code(),
      common::StatusCode::kInternal);
  EXPECT_EQ((*ReadHeldDocument(db_, "catalogue"))->rows, base);

  ASSERT_TRUE(
      StoreDelta(db_, "catalogue", DocumentVersion(base), DocumentVersion(next), delta, 3000).ok());
  // The same delta again: already at its version.
  ASSERT_TRUE(
      StoreDelta(db_, "catalogue", DocumentVersion(base), DocumentVersion(next), delta, 4000).ok());
  const HeldDocument held = **ReadHeldDocument(db_, "catalogue");
  EXPECT_EQ(held.rows, next);
  EXPECT_EQ(held.received_ms, 3000);
}

TEST_F(ReferenceStoreTest, KindsAreKeptApartAndSurviveAReopen) {
  const DocumentRows catalogue{{"A", 1}};
  const DocumentRows targets{{"A", 2}};
  ASSERT_TRUE(StoreSnapshot(db_, "catalogue", DocumentVersion(catalogue), catalogue, 1).ok());
  ASSERT_TRUE(StoreSnapshot(db_, "targets", DocumentVersion(targets), targets, 2).ok());
  SQLite::Database reopened(dir_.path() + "/edge.db", SQLite::OPEN_READONLY);
  EXPECT_EQ((*ReadHeldDocument(reopened, "catalogue"))->rows, catalogue);
  EXPECT_EQ((*ReadHeldDocument(reopened, "targets"))->rows, targets);
}

}  // namespace
}  // namespace storepulse::edge
