#include "central/fleet.h"

#include <gtest/gtest.h>

#include "common/time_util.h"
#include "common/transport/curve_keys.h"

namespace storepulse::central {
namespace {

std::shared_ptr<const StoreDirectory> OneStore() {
  std::string key = common::GenerateCurveKeyPair()->public_key;
  return *StoreDirectory::Parse("store,public_key,name,region,timezone,area_m2\n"
                                "S1," + key + ",Paris,north,Europe/Paris,100\n");
}

TEST(FleetTest, ANewIncarnationShowsItsOwnStreamPositionAndTheRollback) {
  auto directory = OneStore();
  Refusals refusals;
  Fleet fleet;
  fleet.Hello("S1", {"S1", "old", 1000, "v"}, 1'000);
  fleet.Applied("S1", 1000, 1000, 2'000);
  fleet.StreamRolledBack("S1", "the edge's database ends at seq 900", 3'000);
  fleet.Hello("S1", {"S1", "new", 1000, "v"}, 3'000);
  nlohmann::json row = fleet.ToJson(*directory, refusals, 63'000)["stores"][0];
  EXPECT_EQ(row["incarnation"], "new");
  EXPECT_EQ(row["acked_seq"], 0);  // not the old stream's 1,000
  EXPECT_EQ(row["edge_seq"], 1000);
  EXPECT_EQ(row["stream_rollbacks"], 1);
  EXPECT_EQ(row["last_rollback"]["age_s"], 60);
  EXPECT_EQ(row["last_rollback"]["detail"], "the edge's database ends at seq 900");
  fleet.Applied("S1", 400, 400, 64'000);
  EXPECT_EQ(fleet.ToJson(*directory, refusals, 64'000)["stores"][0]["acked_seq"], 400);
}

// The edge's silent sources: shown per store in its local time, replaced by each heartbeat (one
// without them: none silent), and carried to the other centrals with the record.
TEST(FleetTest, AHeartbeatsSilentSourcesAreShownInTheStoresTimeUntilTheNextOneDropsThem) {
  auto directory = OneStore();
  Refusals refusals;
  Fleet fleet;
  const int64_t now = *common::ParseRfc3339("2026-12-04T10:00:00Z");  // 11:00 in Paris
  common::wire::Heartbeat beat;
  beat.clock_ms = now;
  beat.silent_sources = {{"counter", "2", now - 2'700'000, now - 900'000}};
  fleet.Heartbeat("S1", beat, now);
  nlohmann::json row = fleet.ToJson(*directory, refusals, now)["stores"][0];
  ASSERT_EQ(row["silent_sources"].size(), 1u) << row.dump(2);
  const nlohmann::json& silent = row["silent_sources"][0];
  EXPECT_EQ(silent["kind"], "counter");
  EXPECT_EQ(silent["id"], "2");
  EXPECT_EQ(silent["label"], "door counter 2");
  EXPECT_EQ(silent["last_seen"], "2026-12-04T09:15:00.000Z");
  EXPECT_EQ(silent["last_seen_local"], "2026-12-04T10:15:00+01:00");
  EXPECT_EQ(silent["last_seen_today"], true);
  EXPECT_EQ(silent["silent_since"], "2026-12-04T09:45:00.000Z");
  EXPECT_EQ(silent["sent_nothing_for_s"], 2700);
  EXPECT_EQ(silent["silent_after_s"], 1800);

  Fleet other;  // another central over the same database
  for (const auto& [store, record] : fleet.TakeChanged()) other.Merge(store, record);
  EXPECT_EQ(other.ToJson(*directory, refusals, now)["stores"][0]["silent_sources"],
            row["silent_sources"]);

  beat.silent_sources.clear();
  fleet.Heartbeat("S1", beat, now + 5000);
  EXPECT_EQ(fleet.ToJson(*directory, refusals, now + 5000)["stores"][0]["silent_sources"],
            nlohmann::json::array());
}

// Reference documents: the versions each edge's heartbeat names (null for an older edge, which
// takes none), the stores counted per catalogue version, and the record carried to the other
// centrals.
TEST(FleetTest, EachStoresDocumentsAndTheStoresPerCatalogueVersion) {
  std::string key1 = common::GenerateCurveKeyPair()->public_key;
  std::string key2 = common::GenerateCurveKeyPair()->public_key;
  std::string key3 = common::GenerateCurveKeyPair()->public_key;
  auto directory = *StoreDirectory::Parse(
      "store,public_key,name,region,timezone,area_m2\n"
      "S1," +
      key1 +
      ",Paris,north,Europe/Paris,100\n"
      "S2," +
      key2 +
      ",Lyon,south,Europe/Paris,100\n"
      "S3," +
      key3 + ",Nice,south,Europe/Paris,100\n");
  Refusals refusals;
  Fleet fleet;
  common::wire::Heartbeat beat{1'800'000'000'000, 1, 1, 0, 0, 0, 1 << 30, true, "v", {}, {}};
  fleet.Heartbeat("S1", beat, 1'000);  // an older edge: no documents
  beat.documents = std::map<std::string, std::string>{{"catalogue", "0123456789abcdef"},
                                                      {"targets", "fedcba9876543210"}};
  fleet.Heartbeat("S2", beat, 1'000);
  beat.documents = std::map<std::string, std::string>{};
  fleet.Heartbeat("S3", beat, 1'000);
  nlohmann::json json = fleet.ToJson(*directory, refusals, 2'000);
  EXPECT_EQ(json["stores"][0]["documents"], nullptr);
  EXPECT_EQ(json["stores"][1]["documents"],
            (nlohmann::json{{"catalogue", "0123456789abcdef"}, {"targets", "fedcba9876543210"}}));
  EXPECT_EQ(json["stores"][2]["documents"], nlohmann::json::object());
  EXPECT_EQ(json["summary"]["catalogue_versions"],
            (nlohmann::json{{"0123456789abcdef", 1}, {"none", 1}}));
  Fleet other;
  for (const auto& [store, record] : fleet.TakeChanged()) other.Merge(store, record);
  nlohmann::json merged = other.ToJson(*directory, refusals, 2'000);
  EXPECT_EQ(merged["stores"][1]["documents"], json["stores"][1]["documents"]);
  EXPECT_EQ(merged["stores"][0]["documents"], nullptr);
  EXPECT_EQ(merged["summary"]["catalogue_versions"], json["summary"]["catalogue_versions"]);
}

}  // namespace
}  // namespace storepulse::central
