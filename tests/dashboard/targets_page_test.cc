// The store page's "Target and pace" section (edge/dashboard.html, section#targets) rendered by
// headless chromium at a wall screen's, a tablet's and a phone's width: its figures equal the
// edge's GET /api/v1/targets and its sentence GET /api/v1/drivers, nothing sticks out sideways.
// The store closed an hour ago (--opening-hours), so the day's pace is done (share 1) and the
// figures do not move while the page is drawn.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <tuple>

#include "common/reference/reference_document.h"
#include "common/targets/targets_document.h"
#include "common/time_zone.h"
#include "edge/event_store.h"
#include "edge/reference_store.h"
#include "tests/dashboard/viewport_render.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

constexpr int64_t kMinute = 60'000;

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "1,234.56", "−12.00" as the page writes money.
std::string Money(int64_t cents) {
  std::string digits = std::to_string((cents < 0 ? -cents : cents) / 100), grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  const int64_t frac = (cents < 0 ? -cents : cents) % 100;
  return (cents < 0 ? "−" : "") + grouped + "." + (frac < 10 ? "0" : "") + std::to_string(frac);
}

nlohmann::json Sale(const std::string& id, int64_t cents, int64_t ts) {
  return {{"id", id},           {"type", "sale"},
          {"ts", ts},           {"txn", id},
          {"channel", "store"}, {"lines", {{{"sku", "A"}, {"qty", 1}, {"unit_price", cents}}}}};
}

TEST(TargetsPageTest, TheStorePageShowsTargetPaceAndWhyAsTheApisSayOnEveryScreen) {
  if (!std::filesystem::exists("/usr/bin/chromium")) GTEST_SKIP() << "no chromium";
  const common::TimeZone paris = *common::TimeZone::Load("Europe/Paris");
  const int64_t now = Now(), today = paris.LocalDayOf(now);
  const int64_t hour = (now - paris.LocalDayStartMs(today)) / (60 * kMinute);
  const int64_t at = paris.LocalDayStartMs(today) + 10 * kMinute;  // in the first opening hour
  if (hour < 1 || hour > 22) GTEST_SKIP() << "the store must have closed today, an hour ago";
  // Open from midnight to the start of this hour, every day.
  char hours[64];
  std::snprintf(hours, sizeof hours, "mon-sun 00:00-%02d:00", static_cast<int>(hour));
  TempDir dir;
  EdgeNode edge({"PAR1", "Europe/Paris", dir.File("edge"), {"--opening-hours", hours}});
  ASSERT_TRUE(edge.Start());
  const nlohmann::json events = {Sale("s1", 1000, at), Sale("s2", 2000, at), Sale("s3", 3000, at),
                                 Sale("w1", 1000, at - 7 * 24 * 60 * kMinute),
                                 Sale("w2", 1000, at - 7 * 24 * 60 * kMinute)};
  auto posted = PostBody(edge.http_port(), "/api/v1/events", events.dump());
  ASSERT_TRUE(posted && posted->body["accepted"] == 5) << (posted ? posted->body.dump() : "");
  {  // What central publishes for PAR1, stored as the downlink stores it.
    const common::DocumentRows rows =
        common::TargetsRows(*common::ParseTargets("scope,kpi,period,target\n"
                                                  "store:PAR1,net_sales,day,12345600\n"
                                                  "store:PAR1,transactions,day,10\n"
                                                  "network,aov,week,1500\n"),
                            "PAR1", "north");
    SQLite::Database db(edge::EdgeDatabasePath(dir.File("edge")), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA busy_timeout = 10000");
    ASSERT_TRUE(edge::StoreSnapshot(db, common::kTargetsDocument, common::DocumentVersion(rows),
                                    rows, Now())
                    .ok());
  }
  auto targets = GetJson(edge.http_port(), "/api/v1/targets");
  ASSERT_TRUE(targets);
  const nlohmann::json& day = (*targets)["targets"][0];
  ASSERT_EQ(day["kpi"], "net_sales") << targets->dump(2);
  EXPECT_EQ(day["actual"], 6000);
  EXPECT_DOUBLE_EQ(day["pace"]["share"].get<double>(), 1.0);  // closed: the whole day is done
  EXPECT_EQ(day["pace"]["expected_by_now"], 12345600);
  EXPECT_EQ(day["pace"]["projected_close"], 6000);

  const std::string url = "http://127.0.0.1:" + std::to_string(edge.http_port()) + "/";
  for (const auto& [width, height] :
       {std::pair{1280, 900}, std::pair{800, 1024}, std::pair{390, 844}}) {
    SCOPED_TRACE("viewport " + std::to_string(width));
    auto page = RenderInViewport(url, width, height, {"#targets[data-loaded]"});
    ASSERT_TRUE(page);
    EXPECT_TRUE(page->ready) << page->dom;
    EXPECT_LE(page->scroll_width, page->viewport_width) << "sticking out: " << page->overflowing;
    const std::string& dom = page->dom;
    EXPECT_NE(dom.find("id=\"tg-actual\">" + Money(6000) + "<"), std::string::npos) << dom;
    EXPECT_NE(dom.find("id=\"tg-target\">" + Money(12345600) + "<"), std::string::npos) << dom;
    EXPECT_NE(dom.find("id=\"tg-expected\">" + Money(12345600) + "<"), std::string::npos) << dom;
    EXPECT_NE(dom.find("id=\"tg-projected\">" + Money(6000) + "<"), std::string::npos) << dom;
    EXPECT_NE(dom.find(">Behind pace<"), std::string::npos) << dom;
    // Against last week: 3 sales for 6,000 against 2 for 2,000 (no door counter): L = 4,000 /
    // ln 3; transactions L ln 1.5 = 1,476.28, basket L ln 2 = 2,523.72 → 14.76 and 25.24.
    EXPECT_NE(dom.find("Ahead of last week by 40.00: transactions +50.0% (+14.76), basket "
                       "+100.0% (+25.24)"),
              std::string::npos)
        << dom;
    // Against the target as the pace expects it (all of it: closed), with nothing last year to
    // split the gap by.
    EXPECT_NE(dom.find("id=\"tg-why\">Behind the target by " + Money(12345600 - 6000) + "<"),
              std::string::npos)
        << dom;
    EXPECT_NE(dom.find("Targets from head office, received just now (version " +
                       (*targets)["version"].get<std::string>() + ")"),
              std::string::npos)
        << dom;
  }
  EXPECT_EQ(edge.Stop(), 0);
}

// Central's ops page: the "Why net sales moved" block of the network and of #store=PAR1 says what
// GET /api/v1/drivers says, at a wall screen's and a phone's width.
TEST(TargetsPageTest, TheOpsPageSaysWhyNetSalesMovedForTheNetworkAndAStore) {
  if (!std::filesystem::exists("/usr/bin/chromium")) GTEST_SKIP() << "no chromium";
  const common::TimeZone paris = *common::TimeZone::Load("Europe/Paris");
  const int64_t now = Now(), at = now - 30 * kMinute;
  if (paris.LocalDayOf(at) != paris.LocalDayOf(now)) GTEST_SKIP() << "just after midnight";
  TempDir dir;
  MakeKeys(dir.path(), "central");
  dir.Write("stores.csv", "store,public_key,name,region,timezone,area_m2\nPAR1," +
                              MakeKeys(dir.path(), "PAR1").public_key +
                              ",Paris Rivoli,europe,Europe/Paris,1000\n");
  CentralNode central({dir.File("central"),
                       dir.File("central.key"),
                       dir.File("stores.csv"),
                       {"--online-window-s", "60", "--alert-disk-free-bytes", "0"}});
  ASSERT_TRUE(central.Start());
  EdgeNode edge({"PAR1",
                 "Europe/Paris",
                 dir.File("edge"),
                 {"--central-endpoint", central.endpoint(), "--central-public-key",
                  dir.File("central.pub"), "--secret-key-file", dir.File("PAR1.key")}});
  ASSERT_TRUE(edge.Start());
  const nlohmann::json events = {Sale("s1", 1000, at), Sale("s2", 2000, at), Sale("s3", 3000, at),
                                 Sale("w1", 1000, at - 7 * 24 * 60 * kMinute),
                                 Sale("w2", 1000, at - 7 * 24 * 60 * kMinute)};
  auto posted = PostBody(edge.http_port(), "/api/v1/events", events.dump());
  ASSERT_TRUE(posted && posted->body["accepted"] == 5) << (posted ? posted->body.dump() : "");
  bool caught_up = false;
  for (int i = 0; i < 600 && !caught_up; ++i) {  // at most a minute
    auto status = GetJson(edge.http_port(), "/api/v1/status");
    caught_up = status && (*status)["replication"].value("acked_seq", int64_t{-1}) == 5;
    if (!caught_up) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(caught_up) << edge.Log();
  auto network = GetJson(central.http_port(), "/api/v1/drivers?against=previous_week");
  ASSERT_TRUE(network);
  EXPECT_EQ((*network)["gap"], 4000);  // the network is PAR1 alone
  // As on the store page: transactions L ln 1.5 = 14.76, basket L ln 2 = 25.24 (L = 40.00 / ln 3).
  const std::string week =
      "Ahead of last week by 40.00: transactions +50.0% (+14.76), basket +100.0% (+25.24)";
  const std::string base = "http://127.0.0.1:" + std::to_string(central.http_port()) + "/";
  for (const auto& [width, hash, scope] :
       {std::tuple{1280, std::string(""), std::string("network")},
        std::tuple{390, std::string("#store=PAR1"), std::string("store:PAR1")}}) {
    SCOPED_TRACE("viewport " + std::to_string(width) + " " + scope);
    auto page =
        RenderInViewport(base + hash, width, 844, {"#drivers[data-loaded=\"" + scope + "\"]"});
    ASSERT_TRUE(page);
    EXPECT_TRUE(page->ready) << page->dom;
    EXPECT_LE(page->scroll_width, page->viewport_width) << "sticking out: " << page->overflowing;
    EXPECT_NE(page->dom.find("id=\"drivers-week\" class=\"ahead\">" + week + "<"),
              std::string::npos)
        << page->dom.substr(page->dom.find("id=\"drivers\""), 1500);
  }
  EXPECT_EQ(edge.Stop(), 0);
  EXPECT_EQ(central.Stop(), 0);
}

}  // namespace
}  // namespace storepulse::test_support
