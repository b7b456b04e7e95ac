// The targets document (common/targets/targets_document.h): a store's rows from the targets file,
// read back to the same targets in the file's order; bad rows refused.
#include "common/targets/targets_document.h"

#include <gtest/gtest.h>

namespace storepulse::common {
namespace {

constexpr const char* kFile =
    "scope,kpi,period,target\n"
    "store:S1,net_sales,day,1200000\n"
    "store:S2,net_sales,day,900000\n"
    "region:north,conversion_rate,week,0.25\n"
    "region:south,net_sales,week,5000000\n"
    "network,net_sales,month,99000000\n"
    "store:S1,aov,week,4500.5\n";

TEST(TargetsDocumentTest, AStoreGetsItsOwnItsRegionsAndTheNetworksTargets) {
  StatusOr<TargetList> targets = ParseTargets(kFile);
  ASSERT_TRUE(targets.ok()) << targets.status().message();
  const DocumentRows rows = TargetsRows(*targets, "S1", "north");
  ASSERT_EQ(rows.size(), 4u);
  const nlohmann::json& day = rows.at("store:S1|net_sales|day");
  EXPECT_EQ(day.dump(),
            R"({"kpi":"net_sales","order":0,"period":"day","scope":"store:S1","target":1200000})");
  EXPECT_EQ(rows.at("region:north|conversion_rate|week")["order"], 1);
  EXPECT_EQ(rows.at("network|net_sales|month")["order"], 2);
  EXPECT_EQ(rows.at("store:S1|aov|week")["target"], 4500.5);
  EXPECT_EQ(TargetsRows(*targets, "S3", "").size(), 1u);  // no region: the network's only

  StatusOr<TargetList> back = TargetsFromRows(rows);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->size(), 4u);  // in the file's order, not the keys'
  EXPECT_EQ((*back)[0].scope, "store:S1");
  EXPECT_EQ((*back)[0].kpi, "net_sales");
  EXPECT_EQ((*back)[0].period, TargetPeriod::kDay);
  EXPECT_EQ((*back)[0].target, 1'200'000);
  EXPECT_EQ((*back)[1].scope, "region:north");
  EXPECT_EQ((*back)[1].period, TargetPeriod::kWeek);
  EXPECT_EQ((*back)[1].target, 0.25);
  EXPECT_EQ((*back)[2].scope, "network");
  EXPECT_EQ((*back)[3].kpi, "aov");
  // Equal content, equal version: a reloaded file that did not change sends nothing.
  EXPECT_EQ(DocumentVersion(TargetsRows(*ParseTargets(kFile), "S1", "north")),
            DocumentVersion(rows));
}

TEST(TargetsDocumentTest, BadRowsAreRefusedAndUnknownKpisKept) {
  DocumentRows rows = {{"store:S1|net_sales|day",
                        {{"scope", "store:S1"},
                         {"kpi", "net_sales"},
                         {"period", "day"},
                         {"target", 10},
                         {"order", 0}}}};
  rows["store:S1|future_kpi|day"] = {
      {"scope", "store:S1"}, {"kpi", "future_kpi"}, {"period", "day"}, {"target", 3}, {"order", 1}};
  StatusOr<TargetList> kept = TargetsFromRows(rows);
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  EXPECT_EQ((*kept)[1].kpi, "future_kpi");

  DocumentRows wrong_key = {{"store:S1|net_sales|week", rows["store:S1|net_sales|day"]}};
  EXPECT_NE(TargetsFromRows(wrong_key).status().message().find("the key is not"),
            std::string::npos);
  DocumentRows bad_period = rows;
  bad_period["store:S1|net_sales|day"]["period"] = "year";
  EXPECT_NE(TargetsFromRows(bad_period).status().message().find("bad period"), std::string::npos);
  DocumentRows bad_scope = {{"shop:S1|net_sales|day", rows["store:S1|net_sales|day"]}};
  bad_scope.begin()->second["scope"] = "shop:S1";
  EXPECT_NE(TargetsFromRows(bad_scope).status().message().find("bad scope"), std::string::npos);
  DocumentRows not_number = rows;
  not_number["store:S1|net_sales|day"]["target"] = "ten";
  EXPECT_FALSE(TargetsFromRows(not_number).ok());
}

}  // namespace
}  // namespace storepulse::common
