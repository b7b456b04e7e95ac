// The fleet view of `storepulse fleet` from canned answers of GET /api/v1/fleet (the shape of
// central/fleet.cc), and the rule its exit status follows.
#include "cli/fleet_table.h"

#include <gtest/gtest.h>

namespace storepulse::cli {
namespace {

using nlohmann::json;

// Four stores: S1 fine, S2 online but lagging with a full disk and a skewed clock, S3 offline
// for 5m 3s, S4 never seen; two kinds of refusal.
json CannedFleet() {
  return json::parse(R"({"clock":"2026-11-22T10:15:00.000Z",
    "summary":{"stores":4,"online":2,"offline":2,"backlog_events":1204,"backlog_value":1234567,
               "refusals":3},
    "stores":[
      {"store":"S1","name":"Paris Rivoli","region":"FR-North","timezone":"Europe/Paris",
       "online":true,"last_seen":"2026-11-22T10:14:58.000Z","silent_s":2,"incarnation":"a1",
       "version":"0.1.0","acked_seq":12345,"edge_seq":12345,"events_per_min":120,
       "backlog_events":0,"backlog_value":0,"lag_s":0,"clock_skew_s":1,
       "disk_free_bytes":48318382080,"disk_accepting":true,"refusals":0,
       "documents":{"catalogue":"0123456789abcdef"}},
      {"store":"S2","name":"Lyon Part-Dieu","region":"FR-South","timezone":"Europe/Paris",
       "online":true,"last_seen":"2026-11-22T10:14:59.000Z","silent_s":1,"incarnation":"b2",
       "version":"0.1.0","acked_seq":900,"edge_seq":2104,"events_per_min":0,
       "backlog_events":1204,"backlog_value":1234567,"lag_s":754,"clock_skew_s":-185,
       "disk_free_bytes":536870912,"disk_accepting":false,"refusals":0},
      {"store":"S3","name":"Montreal","region":"CA-East","timezone":"America/Toronto",
       "online":false,"last_seen":"2026-11-22T10:09:57.000Z","silent_s":303,"incarnation":"c3",
       "version":"0.1.0","acked_seq":50,"edge_seq":50,"events_per_min":0,
       "backlog_events":0,"backlog_value":0,"lag_s":0,"clock_skew_s":0,
       "disk_free_bytes":10737418240,"disk_accepting":true,"refusals":0},
      {"store":"S4","name":"Lille","region":"FR-North","timezone":"Europe/Paris",
       "online":false,"last_seen":null,"refusals":1}],
    "refusals":[
      {"reason":"wrong_store","key":"","store":"S4","address":"","detail":"a key of S4 spoke for S9",
       "count":1,"last":"2026-11-21T23:59:00.000Z"},
      {"reason":"unknown_key","key":"Pn*2UPEDYu{=JD^K^MH!Ab*+Z%nv^vbT^vv!j<<E","store":"",
       "address":"10.0.0.7",
       "detail":"CURVE public key not in the stores file: add the edge's .pub to it and send SIGHUP to central",
       "count":2,"last":"2026-11-22T10:14:30.000Z"}]})");
}

TEST(FleetTableTest, SummaryThenStoresNeedingAttentionFirstThenRefusals) {
  auto text = RenderFleet(CannedFleet());
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(
      *text,
      "4 stores: 2 online, 2 OFFLINE — backlog 1,204 events (12,345.67) — 3 refusals\n"
      "Central's clock: 2026-11-22 10:15:00 UTC (times below are UTC)\n"
      "\n"
      "Store  Name            Region    State                                  Last seen  Acked seq"
      "            Backlog      Lag     Clock skew  Events/min     Disk free  Version  Catalogue\n"
      "─────  ──────────────  ────────  ─────────────────────────────────────  ─────────  ─────────"
      "  ─────────────────  ───────  ─────────────  ──────────  ────────────  ───────  ─────────\n"
      "S3     Montreal        CA-East   OFFLINE since 10:09:57 (silent 5m 3s)  10:09:57          50"
      "                  0       0s             0s           0      10.0 GiB  0.1.0    –\n"
      "S4     Lille           FR-North  never seen                             –                  –"
      "                  –        –              –           –             –  –        –\n"
      "S2     Lyon Part-Dieu  FR-South  online                                 10:14:59         900"
      "  1,204 (12,345.67)  12m 34s  -3m 5s SKEWED           0  512 MiB FULL  0.1.0    –\n"
      "S1     Paris Rivoli    FR-North  online                                 10:14:58      12,345"
      "                  0       0s            +1s         120      45.0 GiB  0.1.0    01234567\n"
      "\n"
      "Refused connections (most recent first):\n"
      "  unknown_key — key Pn*2UPED… from 10.0.0.7 — 2 times, last 10:14:30\n"
      "    CURVE public key not in the stores file: add the edge's .pub to it and send SIGHUP to "
      "central\n"
      "  wrong_store — store S4 — 1 time, last 2026-11-21 23:59:00\n"
      "    a key of S4 spoke for S9\n");
}

TEST(FleetTableTest, AHealthyFleetSaysSoInOneLine) {
  json fleet = CannedFleet();
  fleet["stores"] = json::array({fleet["stores"][0]});
  fleet["refusals"] = json::array();
  fleet["summary"] = {{"stores", 1},         {"online", 1},        {"offline", 0},
                      {"backlog_events", 0}, {"backlog_value", 0}, {"refusals", 0}};
  auto text = RenderFleet(fleet);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->substr(0, text->find('\n')),
            "1 store: 1 online — backlog 0 events (0.00) — no refusals");
  EXPECT_EQ(text->find("Refused"), std::string::npos);
  EXPECT_FALSE(FleetNeedsAttention(fleet));
}

TEST(FleetTableTest, AttentionMeansOfflineNeverSeenFullDiskOrARecentRefusal) {
  const json canned = CannedFleet();
  EXPECT_TRUE(FleetNeedsAttention(canned));

  json fine = canned;
  fine["stores"] = json::array({canned["stores"][0]});
  fine["refusals"] = json::array();
  EXPECT_FALSE(FleetNeedsAttention(fine));

  json lagging_and_skewed = fine;  // shown, but not a failure on their own
  lagging_and_skewed["stores"][0]["lag_s"] = 3600;
  lagging_and_skewed["stores"][0]["clock_skew_s"] = 600;
  EXPECT_FALSE(FleetNeedsAttention(lagging_and_skewed));

  json full_disk = fine;
  full_disk["stores"][0]["disk_accepting"] = false;
  EXPECT_TRUE(FleetNeedsAttention(full_disk));

  json never_seen = fine;
  never_seen["stores"].push_back(canned["stores"][3]);
  EXPECT_TRUE(FleetNeedsAttention(never_seen));

  json old_refusal = fine;  // 16 minutes before central's clock: past, not current
  old_refusal["refusals"] = json::array({canned["refusals"][1]});
  old_refusal["refusals"][0]["last"] = "2026-11-22T09:59:00.000Z";
  EXPECT_FALSE(FleetNeedsAttention(old_refusal));
  old_refusal["refusals"][0]["last"] = "2026-11-22T10:06:00.000Z";
  EXPECT_TRUE(FleetNeedsAttention(old_refusal));
}

TEST(FleetTableTest, AStreamThatWentBackwardsIsListedAndNeedsAttentionForADay) {
  json fleet = CannedFleet();
  fleet["stores"] = json::array({fleet["stores"][0]});
  fleet["refusals"] = json::array();
  fleet["stores"][0]["stream_rollbacks"] = 2;
  fleet["stores"][0]["last_rollback"] = {
      {"at", "2026-11-22T10:10:00.000Z"},
      {"age_s", 300},
      {"detail", "the edge's database ends at seq 900 but central acknowledged seq 1000"}};
  auto text = RenderFleet(fleet);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("Streams that went backwards (the edge lost commits central had "
                       "acknowledged and resent its events as a new stream; nothing is lost at "
                       "central):\n"
                       "  S1 — 2 times, last 10:10:00\n"
                       "    the edge's database ends at seq 900 but central acknowledged seq "
                       "1000\n"),
            std::string::npos)
      << *text;
  EXPECT_TRUE(FleetNeedsAttention(fleet));
  fleet["stores"][0]["last_rollback"]["age_s"] = 86'400;
  EXPECT_FALSE(FleetNeedsAttention(fleet));
}

TEST(FleetTableTest, RefusesAnswersThatAreNotAFleet) {
  EXPECT_EQ(RenderFleet(json::parse(R"({"rows":[]})")).status().code(),
            common::StatusCode::kInternal);
  EXPECT_EQ(RenderFleet(json::parse(R"({"summary":{},"stores":[1]})")).status().code(),
            common::StatusCode::kInternal);
  auto empty = RenderFleet(json::parse(R"({"summary":{"stores":0,"online":0},"stores":[]})"));
  ASSERT_TRUE(empty.ok());
  EXPECT_NE(empty->find("No stores: central's stores file lists none.\n"), std::string::npos);
}

TEST(FleetTableTest, DurationsAndSizesReadAtAGlance) {
  EXPECT_EQ(FormatDuration(0), "0s");
  EXPECT_EQ(FormatDuration(59), "59s");
  EXPECT_EQ(FormatDuration(303), "5m 3s");
  EXPECT_EQ(FormatDuration(7320), "2h 2m");
  EXPECT_EQ(FormatDuration(90000), "1d 1h");
  EXPECT_EQ(FormatDuration(-185), "-3m 5s");
  EXPECT_EQ(FormatBytes(48318382080), "45.0 GiB");
  EXPECT_EQ(FormatBytes(1099511627776), "1,024.0 GiB");
  EXPECT_EQ(FormatBytes(536870912), "512 MiB");
  EXPECT_EQ(FormatBytes(0), "0 MiB");
}

}  // namespace
}  // namespace storepulse::cli
