// Central's end of the documents' downlink (central/document_sender.h), row by row: who gets
// what (nothing for an older edge, a snapshot, a delta of the changed rows only), in parts of
// bounded size, paced, resent after the ack timeout, a snapshot after a refused delta.
#include "central/document_sender.h"

#include <gtest/gtest.h>

namespace storepulse::central {
namespace {

using common::DocumentRows;
using common::DocumentVersion;
using common::wire::Document;
using common::wire::DocumentAck;
using Held = std::map<std::string, std::string>;

DocumentRows Catalogue(int skus, int price) {
  DocumentRows rows;
  for (int i = 0; i < skus; ++i) {
    rows.emplace("SKU" + std::to_string(1000 + i), nlohmann::json{{"cost", price + i}});
  }
  return rows;
}

// The rows of a series of parts, as the edge would stage them.
DocumentRows Rows(const std::vector<std::pair<std::string, Document>>& parts) {
  DocumentRows rows;
  for (const auto& [peer, part] : parts) {
    for (const auto& [key, text] : part.rows) rows[key] = nlohmann::json::parse(text);
  }
  return rows;
}

class DocumentSenderTest : public ::testing::Test {
 protected:
  DocumentBoard board_;
};

TEST_F(DocumentSenderTest, AnEdgeWhoseHeartbeatSaysNothingOfDocumentsGetsNone) {
  board_.Publish("catalogue", "", Catalogue(3, 100), 1000);
  DocumentSender sender(board_, {});
  sender.OnHeartbeat("p1", "S1", std::nullopt, 1000);
  EXPECT_TRUE(sender.Step(1000).empty());
  EXPECT_FALSE(sender.busy());
}

TEST_F(DocumentSenderTest, AnEdgeHoldingNothingGetsTheWholeDocumentInOnePart) {
  const DocumentRows catalogue = Catalogue(3, 100);
  board_.Publish("catalogue", "", catalogue, 1000);
  DocumentSender sender(board_, {});
  sender.OnHeartbeat("p1", "S1", Held{}, 1000);
  auto parts = sender.Step(1000);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].first, "p1");
  const Document& part = parts[0].second;
  EXPECT_EQ(part.kind, "catalogue");
  EXPECT_EQ(part.version, DocumentVersion(catalogue));
  EXPECT_EQ(part.base_version, "");
  EXPECT_EQ(part.part, 0);
  EXPECT_TRUE(part.last);
  EXPECT_EQ(part.rows.size(), 3u);
  EXPECT_EQ(part.rows[0], (std::pair<std::string, std::string>{"SKU1000", R"({"cost":100})"}));
  EXPECT_EQ(Rows(parts), catalogue);
  EXPECT_EQ(sender.counters().snapshots.at("catalogue"), 1);
  EXPECT_EQ(sender.counters().documents_sent.at("catalogue"), 1);
}

TEST_F(DocumentSenderTest, AnEdgeHoldingTheCurrentVersionGetsNothing) {
  board_.Publish("catalogue", "", Catalogue(3, 100), 1000);
  DocumentSender sender(board_, {});
  sender.OnHeartbeat("p1", "S1", Held{{"catalogue", board_.Current("catalogue", "S1")->version}},
                     1000);
  EXPECT_TRUE(sender.Step(1000).empty());
}

TEST_F(DocumentSenderTest, AnEdgeOneVersionBehindGetsOnlyTheChangedRows) {
  DocumentRows old_rows = Catalogue(100, 100);
  board_.Publish("catalogue", "", old_rows, 1000);
  const std::string old_version = DocumentVersion(old_rows);
  DocumentRows new_rows = old_rows;
  new_rows["SKU1005"] = {{"cost", 999}};  // changed
  new_rows.erase("SKU1007");              // removed
  new_rows["SKU9999"] = {{"cost", 1}};    // added
  board_.Publish("catalogue", "", new_rows, 2000);
  DocumentSender sender(board_, {});
  sender.OnHeartbeat("p1", "S1", Held{{"catalogue", old_version}}, 2000);
  auto parts = sender.Step(2000);
  ASSERT_EQ(parts.size(), 1u);
  const Document& delta = parts[0].second;
  EXPECT_EQ(delta.base_version, old_version);
  EXPECT_EQ(delta.version, DocumentVersion(new_rows));
  EXPECT_EQ(delta.rows.size(), 2u);  // 2 of 100 rows
  EXPECT_EQ(Rows(parts), (DocumentRows{{"SKU1005", {{"cost", 999}}}, {"SKU9999", {{"cost", 1}}}}));
  EXPECT_EQ(delta.removals, std::vector<std::string>{"SKU1007"});
  EXPECT_TRUE(delta.last);
  EXPECT_EQ(sender.counters().deltas.at("catalogue"), 1);
}

TEST_F(DocumentSenderTest, AnEdgeHoldingAVersionCentralDoesNotKnowGetsASnapshot) {
  const DocumentRows catalogue = Catalogue(2, 100);
  board_.Publish("catalogue", "", catalogue, 1000);
  DocumentSender sender(board_, {});
  // e.g. newer than this central, restored from a backup
  sender.OnHeartbeat("p1", "S1", Held{{"catalogue", "00112233aabbccdd"}}, 1000);
  auto parts = sender.Step(1000);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].second.base_version, "");
  EXPECT_EQ(Rows(parts), catalogue);
}

TEST_F(DocumentSenderTest, ABigDocumentGoesInBoundedPartsAFewPerStep) {
  const DocumentRows catalogue = Catalogue(1000, 100);
  board_.Publish("catalogue", "", catalogue, 1000);
  DocumentSenderOptions options;
  options.part_rows = 100;
  options.parts_per_step = 3;
  DocumentSender sender(board_, options);
  sender.OnHeartbeat("p1", "S1", Held{}, 1000);
  std::vector<std::pair<std::string, Document>> all;
  std::vector<size_t> per_step;
  for (int step = 0; step < 10; ++step) {
    auto parts = sender.Step(1000 + step * 20);
    per_step.push_back(parts.size());
    all.insert(all.end(), parts.begin(), parts.end());
  }
  EXPECT_EQ(per_step, (std::vector<size_t>{3, 3, 3, 1, 0, 0, 0, 0, 0, 0}));
  ASSERT_EQ(all.size(), 10u);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].second.part, static_cast<int64_t>(i));
    EXPECT_EQ(all[i].second.rows.size(), 100u);
    EXPECT_EQ(all[i].second.last, i == 9);
  }
  EXPECT_EQ(Rows(all), catalogue);
}

TEST_F(DocumentSenderTest, APartStopsNearItsByteBound) {
  board_.Publish("catalogue", "", Catalogue(1000, 100), 1000);
  DocumentSenderOptions options;
  options.part_bytes = 1000;  // each row: "SKU1xxx" (7) + {"cost":NNN} (12) = 19 bytes
  options.parts_per_step = 1;
  DocumentSender sender(board_, options);
  sender.OnHeartbeat("p1", "S1", Held{}, 1000);
  auto parts = sender.Step(1000);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].second.rows.size(), 53u);  // 52 × 19 = 988 < 1000, 53 × 19 = 1007
}

TEST_F(DocumentSenderTest, AnUnacknowledgedDocumentIsSentAgainAfterTheTimeoutAndOnlyThen) {
  board_.Publish("catalogue", "", Catalogue(3, 100), 1000);
  const std::string version = board_.Current("catalogue", "S1")->version;
  DocumentSenderOptions options;
  options.ack_timeout_ms = 10'000;
  DocumentSender sender(board_, options);
  sender.OnHeartbeat("p1", "S1", Held{}, 1000);
  ASSERT_EQ(sender.Step(1000).size(), 1u);
  EXPECT_TRUE(sender.Step(2000).empty());        // in flight: one document per edge and kind
  sender.OnHeartbeat("p1", "S1", Held{}, 5000);  // a heartbeat before the ack changes nothing
  EXPECT_TRUE(sender.Step(10'999).empty());
  auto again = sender.Step(11'001);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].second.part, 0);
  EXPECT_EQ(sender.counters().resends, 1);
  sender.OnAck("p1", "S1", DocumentAck{"catalogue", version, ""}, 11'100);
  EXPECT_TRUE(sender.Step(30'000).empty());
  EXPECT_TRUE(sender.Step(60'000).empty());
}

TEST_F(DocumentSenderTest, ARefusedDeltaIsFollowedByASnapshot) {
  const DocumentRows first = Catalogue(3, 100);
  board_.Publish("catalogue", "", first, 1000);
  board_.Publish("catalogue", "", Catalogue(3, 200), 2000);
  DocumentSender sender(board_, {});
  sender.OnHeartbeat("p1", "S1", Held{{"catalogue", DocumentVersion(first)}}, 2000);
  auto delta = sender.Step(2000);
  ASSERT_EQ(delta.size(), 1u);
  EXPECT_EQ(delta[0].second.base_version, DocumentVersion(first));
  sender.OnAck("p1", "S1",
               DocumentAck{"catalogue", DocumentVersion(first), "does not give version …"}, 2100);
  auto snapshot = sender.Step(2200);
  ASSERT_EQ(snapshot.size(), 1u);
  EXPECT_EQ(snapshot[0].second.base_version, "");
  EXPECT_EQ(sender.counters().refused, 1);
}

TEST_F(DocumentSenderTest, ARefusedSnapshotWaitsTheTimeoutBeforeTheNextAttempt) {
  board_.Publish("catalogue", "", Catalogue(3, 100), 1000);
  DocumentSenderOptions options;
  options.ack_timeout_ms = 10'000;
  DocumentSender sender(board_, options);
  sender.OnHeartbeat("p1", "S1", Held{}, 1000);
  ASSERT_EQ(sender.Step(1000).size(), 1u);
  sender.OnAck("p1", "S1", DocumentAck{"catalogue", "", "larger than 10 bytes"}, 1100);
  EXPECT_TRUE(sender.Step(1200).empty());
  EXPECT_TRUE(sender.Step(11'000).empty());
  EXPECT_EQ(sender.Step(11'200).size(), 1u);
}

TEST_F(DocumentSenderTest, AVersionPublishedMidDocumentRestartsFromPartZeroWithIt) {
  board_.Publish("catalogue", "", Catalogue(300, 100), 1000);
  DocumentSenderOptions options;
  options.part_rows = 100;
  options.parts_per_step = 1;
  DocumentSender sender(board_, options);
  sender.OnHeartbeat("p1", "S1", Held{}, 1000);
  ASSERT_EQ(sender.Step(1000)[0].second.part, 0);
  ASSERT_EQ(sender.Step(1020)[0].second.part, 1);
  const DocumentRows second = Catalogue(300, 500);
  board_.Publish("catalogue", "", second, 1030);
  auto next = sender.Step(1040);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].second.version, DocumentVersion(second));
  EXPECT_EQ(next[0].second.part, 0);
}

TEST_F(DocumentSenderTest, EachStoreGetsItsOwnDocumentAndEveryStoresOne) {
  board_.Publish("targets", "S1", {{"net_sales:day", 1000}}, 1000);
  board_.Publish("targets", "S2", {{"net_sales:day", 2000}}, 1000);
  board_.Publish("catalogue", "", Catalogue(1, 100), 1000);
  DocumentSender sender(board_, {});
  sender.OnHeartbeat("p1", "S1", Held{}, 1000);
  sender.OnHeartbeat("p2", "S2", Held{}, 1000);
  std::map<std::string, DocumentRows> targets;
  int catalogues = 0;
  for (const auto& [peer, part] : sender.Step(1000)) {
    if (part.kind == "targets") targets[peer] = Rows({{peer, part}});
    catalogues += part.kind == "catalogue";
  }
  EXPECT_EQ(catalogues, 2);
  EXPECT_EQ(targets["p1"], (DocumentRows{{"net_sales:day", 1000}}));
  EXPECT_EQ(targets["p2"], (DocumentRows{{"net_sales:day", 2000}}));
}

TEST_F(DocumentSenderTest, ABudgetPerStepIsSharedFairlyBetweenEdges) {
  board_.Publish("catalogue", "", Catalogue(1000, 100), 1000);
  DocumentSenderOptions options;
  options.part_rows = 100;  // 1,900 bytes a part
  options.parts_per_step = 1;
  options.step_bytes = 3000;  // two parts a step, whoever gets them
  DocumentSender sender(board_, options);
  for (const char* peer : {"a", "b", "c"}) {
    sender.OnHeartbeat(peer, std::string("S-") + peer, Held{}, 1000);
  }
  std::map<std::string, int> served;
  for (int step = 0; step < 3; ++step) {
    for (const auto& [peer, part] : sender.Step(1000 + step)) served[peer]++;
  }
  EXPECT_EQ(served, (std::map<std::string, int>{{"a", 2}, {"b", 2}, {"c", 2}}));
}

// An edge that reconnects comes back on a new connection (a new ROUTER peer id): the old one,
// perhaps dead, is sent nothing more, and the new one gets the document from part 0.
TEST_F(DocumentSenderTest, AStoresNewConnectionReplacesItsOldOne) {
  board_.Publish("catalogue", "", Catalogue(300, 100), 1000);
  DocumentSenderOptions options;
  options.part_rows = 100;
  options.parts_per_step = 1;
  DocumentSender sender(board_, options);
  sender.OnHeartbeat("old", "S1", Held{}, 1000);
  ASSERT_EQ(sender.Step(1000).size(), 1u);
  sender.OnHeartbeat("new", "S1", Held{}, 1010);
  auto parts = sender.Step(1020);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].first, "new");
  EXPECT_EQ(parts[0].second.part, 0);
  // An ack from the old connection is not the new one's.
  sender.OnAck("old", "S1",
               DocumentAck{"catalogue", board_.Current("catalogue", "S1")->version, ""}, 1030);
  parts = sender.Step(1040);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].second.part, 1);
}

// What ZeroMQ may queue for slow links stays bounded: at most max_in_flight documents are sent or
// waiting for their ack at once; the next edge's begins when one is acknowledged (or times out).
TEST_F(DocumentSenderTest, AtMostMaxInFlightDocumentsGoAtOnce) {
  board_.Publish("catalogue", "", Catalogue(3, 100), 1000);
  const std::string version = board_.Current("catalogue", "S1")->version;
  DocumentSenderOptions options;
  options.max_in_flight = 2;
  options.ack_timeout_ms = 10'000;
  DocumentSender sender(board_, options);
  for (const char* store : {"S-a", "S-b", "S-c"}) sender.OnHeartbeat(store, store, Held{}, 1000);
  auto first = sender.Step(1000);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].first, "S-a");
  EXPECT_EQ(first[1].first, "S-b");
  EXPECT_TRUE(sender.Step(1020).empty());
  EXPECT_TRUE(sender.busy());
  sender.OnAck("S-a", "S-a", DocumentAck{"catalogue", version, ""}, 1030);
  auto next = sender.Step(1040);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].first, "S-c");
  // S-b never acks: after the timeout its slot is free, and its resend takes it again.
  for (const char* store : {"S-b", "S-c"}) sender.OnHeartbeat(store, store, Held{}, 11'000);
  sender.OnAck("S-c", "S-c", DocumentAck{"catalogue", version, ""}, 11'010);
  auto again = sender.Step(11'020);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].first, "S-b");
  EXPECT_EQ(sender.counters().resends, 1);
}

TEST_F(DocumentSenderTest, ASilentConnectionIsForgotten) {
  board_.Publish("catalogue", "", Catalogue(1, 100), 1000);
  DocumentSenderOptions options;
  options.forget_after_ms = 60'000;
  options.ack_timeout_ms = 10'000;
  DocumentSender sender(board_, options);
  sender.OnHeartbeat("p1", "S1", Held{}, 1000);
  ASSERT_EQ(sender.Step(1000).size(), 1u);
  EXPECT_TRUE(sender.Step(61'001).empty());  // not resent: forgotten
  EXPECT_FALSE(sender.busy());
}

}  // namespace
}  // namespace storepulse::central
