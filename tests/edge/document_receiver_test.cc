// The edge's end of the documents' downlink (edge/document_receiver.h), row by row: parts staged
// in memory and stored whole, once; out-of-order parts and other versions dropped; bounds and bad
// rows refused with a reason and the version still held. The sink is the real edge.db store.
#include "edge/document_receiver.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "edge/reference_store.h"
#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

using common::DocumentRows;
using common::DocumentVersion;
using common::wire::Document;
using common::wire::DocumentAck;

// edge/reference_store.h on a file, counting the stores.
class DbSink final : public DocumentSink {
 public:
  explicit DbSink(SQLite::Database& db) : db_(db) {}
  common::Status StoreSnapshot(const std::string& kind, const std::string& version,
                               const DocumentRows& rows) override {
    ++calls;
    return edge::StoreSnapshot(db_, kind, version, rows, now_ms);
  }
  common::Status StoreDelta(const std::string& kind, const std::string& base_version,
                            const std::string& version,
                            const common::DocumentDelta& delta) override {
    ++calls;
    return edge::StoreDelta(db_, kind, base_version, version, delta, now_ms);
  }
  int calls = 0;
  int64_t now_ms = 1000;

 private:
  SQLite::Database& db_;
};

class DocumentReceiverTest : public ::testing::Test {
 protected:
  DocumentReceiverTest()
      : db_(dir_.path() + "/edge.db", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE), sink_(db_) {
    CreateReferenceTables(db_);
  }
  DocumentRows Held(const std::string& kind) {
    auto held = ReadHeldDocument(db_, kind);
    return held.ok() && held->has_value() ? (*held)->rows : DocumentRows{};
  }
  test_support::TempDir dir_;
  SQLite::Database db_;
  DbSink sink_;
};

const DocumentRows kFirst{{"A", {{"name", "Apple"}}}, {"B", {{"name", "Bread"}}}, {"C", 3}};
const DocumentRows kSecond{{"A", {{"name", "Apple"}}}, {"B", {{"name", "Brioche"}}}, {"D", 4}};

Document Part(const std::string& version, const std::string& base, int64_t part, bool last,
              std::vector<std::pair<std::string, std::string>> rows,
              std::vector<std::string> removals = {}) {
  return {"catalogue", version, base, part, last, std::move(rows), std::move(removals)};
}

TEST_F(DocumentReceiverTest, ASnapshotInPartsIsStoredWholeWhenItsLastPartArrives) {
  DocumentReceiver receiver({}, {});
  const std::string v1 = DocumentVersion(kFirst);
  EXPECT_FALSE(
      receiver.OnDocument(Part(v1, "", 0, false, {{"A", R"({"name":"Apple"})"}}), sink_, 1000));
  EXPECT_FALSE(
      receiver.OnDocument(Part(v1, "", 1, false, {{"B", R"({"name":"Bread"})"}}), sink_, 1000));
  EXPECT_EQ(sink_.calls, 0);  // nothing stored before the last part
  EXPECT_TRUE(ReadHeldVersions(db_).empty());
  EXPECT_GT(receiver.staged_bytes(), 0);
  std::optional<DocumentAck> ack =
      receiver.OnDocument(Part(v1, "", 2, true, {{"C", "3"}}), sink_, 1000);
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->kind, "catalogue");
  EXPECT_EQ(ack->version, v1);
  EXPECT_EQ(ack->detail, "");
  EXPECT_EQ(sink_.calls, 1);
  EXPECT_EQ(Held("catalogue"), kFirst);
  EXPECT_EQ(receiver.held().at("catalogue"), v1);
  EXPECT_EQ(receiver.staged_bytes(), 0);
  EXPECT_EQ(receiver.status().stored, 1);
}

TEST_F(DocumentReceiverTest, ASnapshotSentAgainIsAcknowledgedAndNotWrittenAgain) {
  DocumentReceiver receiver({}, {});
  const std::string v1 = DocumentVersion(kFirst);
  const Document whole = Part(
      v1, "", 0, true, {{"A", R"({"name":"Apple"})"}, {"B", R"({"name":"Bread"})"}, {"C", "3"}});
  ASSERT_TRUE(receiver.OnDocument(whole, sink_, 1000));
  sink_.now_ms = 9000;
  std::optional<DocumentAck> again = receiver.OnDocument(whole, sink_, 9000);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->version, v1);
  EXPECT_EQ(again->detail, "");
  EXPECT_EQ((*ReadHeldDocument(db_, "catalogue"))->received_ms, 1000);  // applied once
}

TEST_F(DocumentReceiverTest, APartOutOfOrderDropsTheStagingAndStoresNothing) {
  DocumentReceiver receiver({}, {});
  const std::string v1 = DocumentVersion(kFirst);
  EXPECT_FALSE(
      receiver.OnDocument(Part(v1, "", 0, false, {{"A", R"({"name":"Apple"})"}}), sink_, 1000));
  // Part 1 lost: part 2 (the last) arrives.
  EXPECT_FALSE(receiver.OnDocument(Part(v1, "", 2, true, {{"C", "3"}}), sink_, 1000));
  EXPECT_EQ(sink_.calls, 0);
  EXPECT_EQ(receiver.status().restarts, 1);
  EXPECT_EQ(receiver.staged_bytes(), 0);
  EXPECT_TRUE(ReadHeldVersions(db_).empty());
}

TEST_F(DocumentReceiverTest, APartOfAnotherVersionDropsTheStaging) {
  DocumentReceiver receiver({}, {});
  const std::string v1 = DocumentVersion(kFirst);
  const std::string v2 = DocumentVersion(kSecond);
  EXPECT_FALSE(
      receiver.OnDocument(Part(v1, "", 0, false, {{"A", R"({"name":"Apple"})"}}), sink_, 1000));
  EXPECT_FALSE(receiver.OnDocument(Part(v2, "", 1, true, {{"D", "4"}}), sink_, 1000));
  EXPECT_EQ(sink_.calls, 0);
  EXPECT_EQ(receiver.status().restarts, 1);
  // Central starts v2 again from part 0: stored whole.
  EXPECT_FALSE(receiver.OnDocument(
      Part(v2, "", 0, false, {{"A", R"({"name":"Apple"})"}, {"B", R"({"name":"Brioche"})"}}), sink_,
      1000));
  ASSERT_TRUE(receiver.OnDocument(Part(v2, "", 1, true, {{"D", "4"}}), sink_, 1000));
  EXPECT_EQ(Held("catalogue"), kSecond);
}

TEST_F(DocumentReceiverTest, ADeltaOntoTheVersionHeldCarriesOnlyTheChangedRows) {
  DocumentReceiver receiver({}, {});
  const std::string v1 = DocumentVersion(kFirst);
  const std::string v2 = DocumentVersion(kSecond);
  ASSERT_TRUE(receiver.OnDocument(
      Part(v1, "", 0, true,
           {{"A", R"({"name":"Apple"})"}, {"B", R"({"name":"Bread"})"}, {"C", "3"}}),
      sink_, 1000));
  std::optional<DocumentAck> ack = receiver.OnDocument(
      Part(v2, v1, 0, true, {{"B", R"({"name":"Brioche"})"}, {"D", "4"}}, {"C"}), sink_, 2000);
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->version, v2);
  EXPECT_EQ(ack->detail, "");
  EXPECT_EQ(Held("catalogue"), kSecond);
}

TEST_F(DocumentReceiverTest, ADeltaOntoAnotherVersionIsRefusedAndTheVersionHeldKept) {
  const std::string v1 = DocumentVersion(kFirst);
  const std::string v2 = DocumentVersion(kSecond);
  ASSERT_TRUE(StoreSnapshot(db_, "catalogue", v1, kFirst, 500).ok());
  DocumentReceiver receiver({}, ReadHeldVersions(db_));
  const std::string other = "0123456789abcdef";
  std::optional<DocumentAck> ack =
      receiver.OnDocument(Part(v2, other, 0, true, {{"D", "4"}}), sink_, 2000);
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->version, v1);  // what the edge still holds: central sends a snapshot
  EXPECT_NE(ack->detail.find("applies to " + other), std::string::npos) << ack->detail;
  EXPECT_EQ(Held("catalogue"), kFirst);
  EXPECT_EQ(receiver.status().refused, 1);
  EXPECT_NE(receiver.status().last_refusal.find("catalogue version " + v2), std::string::npos);
}

TEST_F(DocumentReceiverTest, ASnapshotWhoseRowsAreNotItsVersionIsRefused) {
  DocumentReceiver receiver({}, {});
  const std::string v1 = DocumentVersion(kFirst);
  std::optional<DocumentAck> ack =
      receiver.OnDocument(Part(v1, "", 0, true, {{"A", "1"}}), sink_, 1000);
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->version, "");
  EXPECT_NE(ack->detail, "");
  EXPECT_TRUE(ReadHeldVersions(db_).empty());
}

TEST_F(DocumentReceiverTest, ARowThatIsNotJsonIsRefused) {
  DocumentReceiver receiver({}, {});
  std::optional<DocumentAck> ack = receiver.OnDocument(
      Part(DocumentVersion(kFirst), "", 0, true, {{"A", "{not json"}}), sink_, 1000);
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->detail, "the row of key 'A' is not JSON");
  EXPECT_EQ(sink_.calls, 0);
}

TEST_F(DocumentReceiverTest, TheBoundsRefuseADocumentTooBigWithoutStoringIt) {
  const std::string v1 = DocumentVersion(kFirst);
  {
    DocumentReceiver receiver({/*max_bytes=*/10, /*max_rows=*/100, /*max_parts=*/100}, {});
    std::optional<DocumentAck> ack =
        receiver.OnDocument(Part(v1, "", 0, true, {{"A", R"({"name":"Apple"})"}}), sink_, 1000);
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(ack->detail, "larger than 10 bytes");
    EXPECT_EQ(receiver.staged_bytes(), 0);
  }
  {
    DocumentReceiver receiver({1 << 20, /*max_rows=*/2, 100}, {});
    std::optional<DocumentAck> ack = receiver.OnDocument(
        Part(v1, "", 0, true, {{"A", "1"}, {"B", "2"}, {"C", "3"}}), sink_, 1000);
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(ack->detail, "more than 2 rows");
  }
  {
    DocumentReceiver receiver({1 << 20, 100, /*max_parts=*/2}, {});
    EXPECT_FALSE(receiver.OnDocument(Part(v1, "", 0, false, {{"A", "1"}}), sink_, 1000));
    EXPECT_FALSE(receiver.OnDocument(Part(v1, "", 1, false, {{"B", "2"}}), sink_, 1000));
    std::optional<DocumentAck> ack =
        receiver.OnDocument(Part(v1, "", 2, true, {{"C", "3"}}), sink_, 1000);
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(ack->detail, "more than 2 parts");
  }
  EXPECT_EQ(sink_.calls, 0);
  EXPECT_TRUE(ReadHeldVersions(db_).empty());
}

TEST_F(DocumentReceiverTest, AMalformedPartIsRefusedWithTheFieldNamed) {
  DocumentReceiver receiver({}, {});
  std::optional<DocumentAck> ack =
      receiver.OnDocument(Part("not-hex", "", 0, true, {{"A", "1"}}), sink_, 1000);
  ASSERT_TRUE(ack.has_value());
  EXPECT_NE(ack->detail.find("field 'version'"), std::string::npos) << ack->detail;
  // No kind to answer about: nothing to send, counted.
  Document nameless = Part(DocumentVersion(kFirst), "", 0, true, {{"A", "1"}});
  nameless.kind = "Bad Kind";
  EXPECT_FALSE(receiver.OnDocument(nameless, sink_, 1000));
  EXPECT_EQ(receiver.status().refused, 2);
}

}  // namespace
}  // namespace storepulse::edge
