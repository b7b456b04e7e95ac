// The two dashboards in a real browser: a real edge (alone, then replicating to a real central) on
// loopback gets events over HTTP, then Debian's chromium, headless, loads GET / and the DOM it
// dumps after the page's scripts ran must hold the real figures, formatted for people. Skipped
// when /usr/bin/chromium is missing (scripts/test installs it).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/kpi/kpi_catalogue.h"
#include "common/time_zone.h"
#include "tests/dashboard/viewport_render.h"
#include "tests/integration/chain.h"
#include "tests/support/nodes.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

constexpr char kChromium[] = "/usr/bin/chromium";

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Today's events of one store, all stamped now (so they fall in the store's local today):
// gross 1,000.00 + 334.56, a 100.00 return — net sales 1,234.56 — 2 transactions (average basket
// 667.28), 8 visitors (conversion 25.0%) and one promoter (NPS +100). Stock: A received 10 (then
// 2 sold, 1 returned: 9 on hand), C counted at 0 — availability 1 of 2 ranged, C to restock.
std::string TodaysEvents(const std::string& prefix) {
  const int64_t ts = NowMillis();
  auto line = [](const char* sku, int qty, int64_t price) {
    return nlohmann::json{{"sku", sku}, {"qty", qty}, {"unit_price", price}};
  };
  nlohmann::json events = nlohmann::json::array({
      {{"id", prefix + "-s1"},
       {"type", "sale"},
       {"ts", ts},
       {"txn", "t1"},
       {"channel", "store"},
       {"lines", {line("A", 2, 50000)}}},
      {{"id", prefix + "-s2"},
       {"type", "sale"},
       {"ts", ts},
       {"txn", "t2"},
       {"channel", "store"},
       {"lines", {line("B", 1, 33456)}}},
      {{"id", prefix + "-r1"},
       {"type", "return"},
       {"ts", ts},
       {"txn", "t3"},
       {"lines", {line("A", 1, 10000)}}},
      {{"id", prefix + "-f1"},
       {"type", "footfall"},
       {"ts", ts},
       {"sensor", "door-1"},
       {"period_s", 900},
       {"in", 8},
       {"out", 6}},
      {{"id", prefix + "-n1"}, {"type", "feedback"}, {"ts", ts}, {"scale", "nps"}, {"score", 10}},
      {{"id", prefix + "-k1"}, {"type", "stock"}, {"ts", ts - 1000}, {"sku", "A"},
       {"kind", "receipt"}, {"qty", 10}},
      {{"id", prefix + "-k2"}, {"type", "stock"}, {"ts", ts}, {"sku", "C"}, {"kind", "count"},
       {"qty", 0}},
  });
  return events.dump();
}

void PostTodaysEvents(EdgeNode& edge, const std::string& prefix) {
  auto reply = PostBody(edge.http_port(), "/api/v1/events", TodaysEvents(prefix));
  ASSERT_TRUE(reply.has_value());
  ASSERT_EQ(reply->status, 200) << reply->body.dump();
  ASSERT_EQ(reply->body["accepted"], 7) << reply->body.dump();
}

// The DOM of `url` once its scripts ran, as headless chromium dumps it with the browser profile
// in `profile` (what the page kept in localStorage stays there); empty (with a test failure) if
// chromium failed. Bounded: chromium is killed after 90 s.
std::string RenderedDomOf(const std::string& url, const std::string& profile) {
  auto run = RunProcess(
      {kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
       "--disable-background-networking", "--disable-component-update", "--disable-sync",
       "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom", url},
      std::chrono::seconds(90));
  if (!run.ok()) {
    ADD_FAILURE() << "cannot run " << kChromium << ": " << run.status().message();
    return "";
  }
  EXPECT_FALSE(run->timed_out) << "chromium did not finish in 90 s";
  EXPECT_EQ(run->exit_status, 0) << run->err;
  return run->out;
}

// http://127.0.0.1:port/ in a fresh profile.
std::string RenderedDom(int port) {
  TempDir profile;
  return RenderedDomOf("http://127.0.0.1:" + std::to_string(port) + "/", profile.path());
}

// The DOM once `ready` holds for it: the pages fill in from fetches; a slow machine gets 3 tries.
std::string RenderedDomWhen(int port, const std::function<bool(const std::string&)>& ready) {
  std::string dom;
  for (int attempt = 0; attempt < 3; ++attempt) {
    dom = RenderedDom(port);
    if (ready(dom)) break;
  }
  return dom;
}

// The HTML of the element that starts with `open_tag` up to the first `close_tag` after it.
std::string Element(const std::string& dom, const std::string& open_tag,
                    const std::string& close_tag) {
  size_t begin = dom.find(open_tag);
  if (begin == std::string::npos) return "";
  size_t end = dom.find(close_tag, begin);
  return dom.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// `text` as the DOM dump writes it: "&" as "&amp;" (labels hold no other markup character).
std::string Html(std::string_view text) {
  std::string html;
  for (char c : text) html += c == '&' ? std::string("&amp;") : std::string(1, c);
  return html;
}

// The catalogue's label of `kpi` (common/kpi/kpi_catalogue.h), which the pages read from
// GET /api/v1/kpis; `short_label` for the dense tables of the ops page.
std::string Label(common::Kpi kpi) { return Html(common::InfoOf(kpi).label); }
std::string ShortLabel(common::Kpi kpi) { return Html(common::InfoOf(kpi).short_label); }

class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kChromium)) {
      GTEST_SKIP() << kChromium << " is missing: the dashboards are tested in Debian's chromium "
                   << "(apt-get install chromium)";
    }
  }
};

TEST_F(DashboardTest, StoreDashboardShowsTodaysFiguresFormatted) {
  TempDir dir;
  EdgeNode edge({"DASH1", "Europe/Paris", dir.File("edge"), {}});
  ASSERT_TRUE(edge.Start());
  PostTodaysEvents(edge, "d");
  // A click & collect order created two hours ago, promised an hour ago, not ready: overdue.
  const int64_t now = NowMillis();
  auto order = PostBody(edge.http_port(), "/api/v1/events",
                        nlohmann::json{{"id", "d-o1"},
                                       {"type", "order"},
                                       {"ts", now - 7'200'000},
                                       {"order", "late-1"},
                                       {"kind", "click_collect"},
                                       {"status", "created"},
                                       {"promised", now - 3'600'000}}
                            .dump());
  ASSERT_TRUE(order && order->status == 200 && order->body["accepted"] == 1)
      << (order ? order->body.dump() : "no reply");

  std::string dom = RenderedDomWhen(edge.http_port(), [](const std::string& dom) {
    return Contains(dom, "id=\"k-net_sales\">1,234.56<");
  });
  EXPECT_TRUE(Contains(dom, "<span class=\"store\" id=\"store\">DASH1</span>")) << dom;
  EXPECT_TRUE(Contains(dom, "id=\"k-net_sales\">1,234.56<")) << dom;
  EXPECT_TRUE(Contains(dom, "id=\"k-transactions\">2<")) << dom;
  EXPECT_TRUE(Contains(dom, "id=\"k-aov\">667.28<")) << dom;
  EXPECT_TRUE(Contains(dom, "id=\"k-conversion_rate\">25.0%<")) << dom;
  EXPECT_TRUE(Contains(dom, "id=\"k-footfall\">8<")) << dom;
  EXPECT_TRUE(Contains(dom, "id=\"k-nps\">+100<")) << dom;
  // Every label comes from the KPI catalogue the edge serves.
  using common::Kpi;
  EXPECT_TRUE(Contains(dom, "<dt>" + Label(Kpi::kAov) + "</dt><dd><span class=\"v\" id=\"k-aov\">"))
      << dom;
  std::string minis = Element(dom, "<dl class=\"minis\" id=\"minis\">", "</dl>");
  for (Kpi kpi :
       {Kpi::kCcOrders, Kpi::kSfsStockCancelRate, Kpi::kAvgReadyMinutes, Kpi::kAvgDeliveryHours,
        Kpi::kCsat, Kpi::kShrinkUnits, Kpi::kDefectReturnRate, Kpi::kSalesPerLabourHour, Kpi::kStar,
        Kpi::kCustomers, Kpi::kOmnichannelCustomers, Kpi::kRetentionRate}) {
    EXPECT_TRUE(Contains(minis, "<dt>" + Label(kpi) + "</dt>")) << minis;
  }
  // The orders open past their promise (GET /api/v1/orders?status=overdue): an hour late when
  // the page asked (61 if that took over 30 s).
  const std::string overdue = Element(dom, "<p class=\"oos\" id=\"overdue\">", "</p>");
  EXPECT_TRUE(Contains(overdue,
                       "Past their promise now: <b>1</b> order — <b>late-1</b> (click "
                       "&amp; collect, 60 min late)") ||
              Contains(overdue, "(click &amp; collect, 61 min late)"))
      << overdue;
  // Net sales by channel, the hourly chart drawn as SVG, and the status line of a lone edge.
  std::string channels = Element(dom, "<table id=\"channels\">", "</table>");
  EXPECT_TRUE(Contains(channels, "In store")) << channels;
  EXPECT_TRUE(Contains(channels, "1,234.56")) << channels;
  EXPECT_TRUE(Contains(channels, "<th scope=\"col\">" + Label(Kpi::kAov) + "</th>")) << channels;
  EXPECT_TRUE(Contains(Element(dom, "<figure id=\"chart\"", "</figure>"), "<rect class=\"bar"))
      << dom;
  EXPECT_TRUE(Contains(Element(dom, "<div id=\"sync\"", "</div>"), "Stand-alone")) << dom;
  // Best sellers by units (A: 2 units, 1,000.00 − 100.00 returned; then B), and stock now.
  std::string skus = Element(dom, "<table id=\"skus\">", "</table>");
  EXPECT_TRUE(Contains(skus, "<th scope=\"row\">A</th><td>2</td><td>900.00</td><td>1</td>"))
      << skus;
  EXPECT_LT(skus.find(">A<"), skus.find(">B<")) << skus;
  std::string stock =
      Element(dom, "<section class=\"card\" aria-labelledby=\"h-stock\">", "</section>");
  EXPECT_TRUE(Contains(stock, "<div class=\"mini warn\"><dt>Availability</dt><dd>50.0%")) << stock;
  EXPECT_TRUE(Contains(stock, "To restock: <b>C</b>")) << stock;
  EXPECT_EQ(edge.Stop(), 0);
}

// Staffing (issue 15) on the hourly chart: 4 staff through the current quarter hour, which is
// inside one local hour, give that hour 1.0 staff on average (4 × 0.25 h); 12 visitors counted
// then make its STAR 12 / 1.0 = 12.00. The chart draws the staff line and the table shows both.
TEST_F(DashboardTest, StoreDashboardShowsFootfallAgainstStaffByHour) {
  TempDir dir;
  EdgeNode edge({"DASH3", "Europe/Paris", dir.File("edge"), {}});
  ASSERT_TRUE(edge.Start());
  const int64_t quarter = NowMillis() / 900'000 * 900'000;
  nlohmann::json events = nlohmann::json::array(
      {{{"id", "l1"}, {"type", "labour"}, {"ts", quarter}, {"period_s", 900}, {"staff", 4}},
       {{"id", "f1"},
        {"type", "footfall"},
        {"ts", quarter},
        {"sensor", "door-1"},
        {"period_s", 900},
        {"in", 12},
        {"out", 0}}});
  auto reply = PostBody(edge.http_port(), "/api/v1/events", events.dump());
  ASSERT_TRUE(reply.has_value());
  ASSERT_EQ(reply->body["accepted"], 2) << reply->body.dump();

  std::string dom = RenderedDomWhen(edge.http_port(), [](const std::string& dom) {
    return Contains(dom, "<polyline class=\"staff-line\"");
  });
  EXPECT_TRUE(
      Contains(Element(dom, "<figure id=\"chart\"", "</figure>"), "<polyline class=\"staff-line\""))
      << dom;
  EXPECT_TRUE(Contains(dom, "<li id=\"staff-legend\">")) << dom;  // no longer hidden
  std::string hours = Element(dom, "<table id=\"hours\">", "</table>");
  EXPECT_TRUE(Contains(hours, "<td>12</td><td>1.0</td><td>12.00</td>")) << hours;
  EXPECT_EQ(edge.Stop(), 0);
}

// Source health on the store page: door-2 counted yesterday and sent nothing today, so today's
// conversion says it is incomplete and names it; the Sources block lists both counters.
TEST_F(DashboardTest, StoreDashboardSaysWhichCounterIsMissingTodayAndListsTheSources) {
  TempDir dir;
  EdgeNode edge({"DASH2", "Europe/Paris", dir.File("edge"), {}});
  ASSERT_TRUE(edge.Start());
  PostTodaysEvents(edge, "d");
  const nlohmann::json yesterday = {{{"id", "y-f1"}, {"type", "footfall"},
                                     {"ts", NowMillis() - 86'400'000}, {"sensor", "door-2"},
                                     {"period_s", 900}, {"in", 5}, {"out", 5}}};
  auto reply = PostBody(edge.http_port(), "/api/v1/events", yesterday.dump());
  ASSERT_TRUE(reply.has_value());
  ASSERT_EQ(reply->body["accepted"], 1) << reply->body.dump();

  std::string dom = RenderedDomWhen(edge.http_port(), [](const std::string& dom) {
    return Contains(dom, "id=\"k-conversion_rate\">25.0%<") && Contains(dom, "door counter door-2");
  });
  EXPECT_TRUE(Contains(dom, "id=\"k-conversion_rate\">25.0%<")) << dom;
  EXPECT_TRUE(Contains(dom, "id=\"s-conversion_rate\">⚠ Incomplete: nothing today from door "
                            "counter door-2<"))
      << dom;
  EXPECT_TRUE(Contains(dom, "<div class=\"tile incomplete\"><dt>" +
                                Label(common::Kpi::kConversionRate)))
      << dom;
  std::string sources = Element(dom, "<table id=\"sources\">", "</table>");
  EXPECT_TRUE(Contains(sources, "<th scope=\"row\">door counter door-1</th>")) << sources;
  EXPECT_TRUE(Contains(sources, "<th scope=\"row\">door counter door-2</th>")) << sources;
  EXPECT_TRUE(Contains(sources, "Sending")) << sources;
  EXPECT_FALSE(Contains(sources, "Silent since")) << sources;
  EXPECT_EQ(edge.Stop(), 0);
}

// With --read-token-file the page loads (it holds no data) and asks for the token; a wrong one
// is asked for again; the right one shows the figures and is kept for the next visit. Headless
// chromium cannot type: the token comes as #read-token=…, the way a kiosk tablet is set up, and
// goes through the same storage and fetch wrapper as a typed one.
TEST_F(DashboardTest, StorePageAsksForTheReadTokenThenShowsTheFiguresAndKeepsIt) {
  TempDir dir;
  EdgeNode edge({"DASH3", "Europe/Paris", dir.File("edge"),
                 {"--read-token-file", dir.Write("read", "r3ad-t0ken\n")}});
  ASSERT_TRUE(edge.Start());
  PostTodaysEvents(edge, "t");  // the producer's POST needs no read token
  const std::string page = "http://127.0.0.1:" + std::to_string(edge.http_port()) + "/";
  const std::string figures = "id=\"k-net_sales\">1,234.56<";
  TempDir profile;

  std::string dom = RenderedDomOf(page, profile.path());
  EXPECT_TRUE(Contains(dom, "<dialog id=\"token-prompt\"")) << dom;
  EXPECT_TRUE(Contains(dom, "asks for its read token")) << dom;
  EXPECT_FALSE(Contains(dom, figures)) << dom;

  dom = RenderedDomOf(page + "#read-token=wrong", profile.path());
  EXPECT_TRUE(Contains(dom, "That token was refused")) << dom;
  EXPECT_FALSE(Contains(dom, figures)) << dom;

  for (const std::string& url : {page + "#read-token=r3ad-t0ken", page}) {  // then kept
    SCOPED_TRACE(url);
    for (int attempt = 0; attempt < 3 && !Contains(dom, figures); ++attempt) {
      dom = RenderedDomOf(url, profile.path());
    }
    EXPECT_TRUE(Contains(dom, figures)) << dom;
    EXPECT_FALSE(Contains(dom, "<dialog id=\"token-prompt\"")) << dom;
    EXPECT_TRUE(Contains(dom, "<span class=\"store\" id=\"store\">DASH3</span>")) << dom;
    dom.clear();
  }
  EXPECT_EQ(edge.Stop(), 0);
}

// The ops page asks for central's read token the same way, and shows the fleet once it has it.
TEST_F(DashboardTest, OpsPageAsksForTheReadTokenThenShowsTheFleet) {
  TempDir dir;
  MakeKeys(dir.path(), "central");
  dir.Write("stores.csv", "store,public_key,name,region,timezone,area_m2\nPAR1," +
                              MakeKeys(dir.path(), "PAR1").public_key +
                              ",Paris Rivoli,europe,Europe/Paris,1000\n");
  CentralNode central({dir.File("central"), dir.File("central.key"), dir.File("stores.csv"),
                       {"--read-token-file", dir.Write("read", "0ps-t0ken")}});
  ASSERT_TRUE(central.Start());
  const std::string page = "http://127.0.0.1:" + std::to_string(central.http_port()) + "/";
  TempDir profile;
  std::string dom = RenderedDomOf(page, profile.path());
  EXPECT_TRUE(Contains(dom, "<dialog id=\"token-prompt\"")) << dom;
  EXPECT_FALSE(Contains(dom, "id=\"store-PAR1\"")) << dom;
  dom.clear();
  for (int attempt = 0; attempt < 3 && !Contains(dom, "id=\"store-PAR1\""); ++attempt) {
    dom = RenderedDomOf(page + "#read-token=0ps-t0ken", profile.path());
  }
  EXPECT_TRUE(Contains(dom, "id=\"store-PAR1\"")) << dom;
  EXPECT_FALSE(Contains(dom, "<dialog id=\"token-prompt\"")) << dom;
  EXPECT_EQ(central.Stop(), 0);
}

TEST_F(DashboardTest, OpsDashboardShowsTheFleetAndNetworkFigures) {
  // A central whose stores file has two stores, only one of which runs. (Not the Chain fixture:
  // its 2 s online window is shorter than the edges' 5 s heartbeat, so an idle store flickers.)
  // No low-disk alert: the test machine's free disk must not change what the page shows. The
  // store never seen is offline (a warning) once central has run for the online window; no
  // availability alert (its stock is half out), so that it is the only one.
  TempDir dir;
  MakeKeys(dir.path(), "central");
  std::string stores = "store,public_key,name,region,timezone,area_m2\n";
  stores += "PAR1," + MakeKeys(dir.path(), "PAR1").public_key +
            ",Paris Rivoli,europe,Europe/Paris,1000\n";
  stores += "LYO2," + MakeKeys(dir.path(), "LYO2").public_key +
            ",Lyon Part-Dieu,europe,Europe/Paris,800\n";
  dir.Write("stores.csv", stores);
  CentralNode central({dir.File("central"),
                       dir.File("central.key"),
                       dir.File("stores.csv"),
                       {"--online-window-s", "8", "--alert-interval-s", "1",
                        "--alert-disk-free-bytes", "0", "--alert-availability", "0"}});
  ASSERT_TRUE(central.Start());
  EdgeNode edge({"PAR1",
                 "Europe/Paris",
                 dir.File("edge"),
                 {"--central-endpoint", central.endpoint(), "--central-public-key",
                  dir.File("central.pub"), "--secret-key-file", dir.File("PAR1.key")}});
  ASSERT_TRUE(edge.Start());
  PostTodaysEvents(edge, "o");
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto status = GetJson(edge.http_port(), "/api/v1/status");
        return status && (*status)["replication"].value("acked_seq", int64_t{-1}) == 7;
      },
      std::chrono::seconds(60)))
      << edge.Log();
  ASSERT_TRUE(WaitUntil([&] {
    auto alerts = GetJson(central.http_port(), "/api/v1/alerts");
    return alerts && (*alerts)["summary"]["raised"] == 1 &&
           (*alerts)["alerts"][0]["id"] == "store_offline/LYO2";
  }));

  std::string dom = RenderedDomWhen(central.http_port(), [](const std::string& dom) {
    return Contains(dom, "id=\"net-net_sales\">1,234.56<");
  });
  // The running store is online, the other offline and listed as needing attention first.
  std::string par_row = Element(dom, "id=\"store-PAR1\">", "</tr>");
  EXPECT_TRUE(Contains(par_row, ">online</span>")) << dom;
  EXPECT_TRUE(Contains(par_row, "Paris Rivoli")) << par_row;
  std::string lyo_row = Element(dom, "id=\"store-LYO2\">", "</tr>");
  EXPECT_TRUE(Contains(lyo_row, ">offline</span>")) << dom;
  EXPECT_LT(dom.find("id=\"store-LYO2\""), dom.find("id=\"store-PAR1\"")) << "problems first";
  std::string attention = Element(dom, "<ul class=\"attention\"", "</ul>");
  EXPECT_TRUE(Contains(attention, "LYO2 offline")) << attention;
  EXPECT_FALSE(Contains(attention, "PAR1")) << attention;
  // Network KPIs today, and the store's row of the by-store table.
  EXPECT_TRUE(Contains(dom, "id=\"net-net_sales\">1,234.56<")) << dom;
  EXPECT_TRUE(Contains(dom, "id=\"net-conversion_rate\">25.0%<")) << dom;
  std::string by_store = Element(dom, "<table id=\"stores\">", "</table>");
  EXPECT_TRUE(Contains(by_store, "PAR1")) << by_store;
  EXPECT_TRUE(Contains(by_store, "1,234.56")) << by_store;
  // Labels from the KPI catalogue central serves: the tiles' in full, the tables' short.
  using common::Kpi;
  EXPECT_TRUE(Contains(dom, "<dt>" + Label(Kpi::kUpt) + "</dt><dd id=\"net-upt\">")) << dom;
  for (Kpi kpi : {Kpi::kAov, Kpi::kUpt, Kpi::kConversionRate, Kpi::kNps}) {
    EXPECT_TRUE(Contains(by_store, "<th scope=\"col\">" + ShortLabel(kpi) + "</th>")) << by_store;
  }

  // The store's own page now says its figures reached head office.
  std::string edge_dom = RenderedDomWhen(edge.http_port(), [](const std::string& dom) {
    return Contains(dom, "Synced with head office");
  });
  EXPECT_TRUE(Contains(Element(edge_dom, "<div id=\"sync\"", "</div>"), "Synced with head office"))
      << edge_dom;
  EXPECT_EQ(edge.Stop(), 0);
  EXPECT_EQ(central.Stop(), 0);
}

// The ops page shows a store's state as central's alerts say it (GET /api/v1/alerts), never
// from thresholds of its own: a store going silent is a warning, then critical, on the page as
// in the API at the same moment; an acknowledged alert says who, with the buttons to silence it.
TEST_F(DashboardTest, OpsDashboardShowsAStoreWarningThenCriticalAsTheAlertsSay) {
  TempDir dir;
  MakeKeys(dir.path(), "central");
  dir.Write("stores.csv", "store,public_key,name,region,timezone,area_m2\nLYO2," +
                              MakeKeys(dir.path(), "LYO2").public_key +
                              ",Lyon Part-Dieu,europe,Europe/Paris,800\n");
  CentralNode central({dir.File("central"),
                       dir.File("central.key"),
                       dir.File("stores.csv"),
                       {"--online-window-s", "2", "--alert-offline-s", "20",
                        "--alert-interval-s", "1", "--alert-disk-free-bytes", "0"}});
  ASSERT_TRUE(central.Start());
  const auto severity = [&]() -> std::string {
    auto alerts = GetJson(central.http_port(), "/api/v1/alerts");
    if (!alerts || (*alerts)["alerts"].empty()) return "none";
    return (*alerts)["alerts"][0].value("severity", "");
  };
  // The page's fleet row and attention list at a moment the API says `expected` before and after.
  const auto page_at = [&](const std::string& expected) {
    std::string dom;
    for (int attempt = 0; attempt < 3; ++attempt) {
      if (!WaitUntil([&] { return severity() == expected; })) return std::string("no ") + expected;
      dom = RenderedDom(central.http_port());
      if (severity() == expected && Contains(dom, "id=\"store-LYO2\"")) return dom;
    }
    return dom;
  };

  std::string dom = page_at("warning");
  std::string row = Element(dom, "id=\"store-LYO2\">", "</tr>");
  EXPECT_TRUE(Contains(dom, "<tr class=\"warning\" id=\"store-LYO2\">")) << dom;
  EXPECT_TRUE(Contains(row, "<span class=\"badge warning\"")) << row;
  EXPECT_TRUE(Contains(row, ">offline</span>")) << row;
  std::string attention = Element(dom, "<ul class=\"attention\"", "</ul>");
  EXPECT_TRUE(Contains(attention, "<li class=\"att warning\">")) << attention;
  EXPECT_TRUE(Contains(attention, "data-id=\"store_offline/LYO2\" data-note=\"ack\"")) << attention;
  EXPECT_TRUE(Contains(attention, "data-note=\"hour\"")) << attention;
  {  // the store's own view lists its problem with the same buttons
    TempDir profile;
    const std::string view = RenderedDomOf(
        "http://127.0.0.1:" + std::to_string(central.http_port()) + "/#store=LYO2", profile.path());
    const std::string problems = Element(view, "id=\"sv-problems\"", "</ul>");
    EXPECT_TRUE(Contains(problems, "data-id=\"store_offline/LYO2\" data-note=\"ack\"")) << problems;
  }

  auto ack = PostBody(central.http_port(), "/api/v1/alerts/ack",
                      R"({"id":"store_offline/LYO2","by":"alice"})");
  ASSERT_TRUE(ack);
  ASSERT_EQ(ack->status, 200) << ack->body.dump();
  dom = page_at("critical");
  row = Element(dom, "id=\"store-LYO2\">", "</tr>");
  EXPECT_TRUE(Contains(dom, "<tr class=\"critical\" id=\"store-LYO2\">")) << dom;
  EXPECT_TRUE(Contains(row, "<span class=\"badge critical\"")) << row;
  attention = Element(dom, "<ul class=\"attention\"", "</ul>");
  EXPECT_TRUE(Contains(attention, "<li class=\"att critical\">")) << attention;
  EXPECT_TRUE(Contains(attention, "acknowledged by alice")) << attention;
  EXPECT_FALSE(Contains(attention, "data-note=\"ack\"")) << attention;  // acknowledged already
  EXPECT_EQ(central.Stop(), 0);
}

// Money and counts as the pages write them: 123456 → "1,234.56", 1234 → "1,234".
std::string Grouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "−" : "") + out;
}
std::string Money(int64_t cents) {
  std::string frac = std::to_string((cents < 0 ? -cents : cents) % 100);
  return Grouped(cents / 100) + "." + (frac.size() < 2 ? "0" : "") + frac;
}

int64_t SumOf(const nlohmann::json& list) {
  int64_t sum = 0;
  for (const auto& v : list) sum += v.is_number_integer() ? v.get<int64_t>() : 0;
  return sum;
}
int64_t NetSalesOf(const nlohmann::json& answer) {
  int64_t sum = 0;
  for (const auto& row : answer["rows"]) sum += row.value("net_sales", int64_t{0});
  return sum;
}

// The ops page and a store's view (issue 12): each store row links to its view; the view shows
// its KPIs today against last week, its sales by hour and its last 24 hours; the ops page shows
// the network's. Every figure shown equals the API's, at a wall screen's width (1280 px) and a
// portrait tablet's (768 × 1024, where the fleet table turns into cards) and a phone's (390 × 844),
// and neither view scrolls sideways.
TEST_F(DashboardTest, OpsPageAndStoreViewShowTheApisTrendsAndFitScreensFromWideToPhone) {
  TempDir dir;
  MakeKeys(dir.path(), "central");
  std::string stores = "store,public_key,name,region,timezone,area_m2\n";
  stores += "PAR1," + MakeKeys(dir.path(), "PAR1").public_key +
            ",Paris Rivoli,europe,Europe/Paris,1000\n";
  stores += "LYO2," + MakeKeys(dir.path(), "LYO2").public_key +
            ",Lyon Part-Dieu,europe,Europe/Paris,800\n";
  dir.Write("stores.csv", stores);
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
  PostTodaysEvents(edge, "t");
  // Last week, the same local day, halfway between its midnight and the time of day now: a sale
  // of 45.00 (before "the same time", which the store view compares up to).
  const common::TimeZone paris = *common::TimeZone::Load("Europe/Paris");
  const int64_t now = NowMillis(), day = paris.LocalDayOf(now);
  const int64_t into_day = now - paris.LocalDayStartMs(day);
  const nlohmann::json last_week = {{{"id", "w1"}, {"type", "sale"},
                                     {"ts", paris.LocalDayStartMs(day - 7) + into_day / 2},
                                     {"txn", "w1"}, {"channel", "store"},
                                     {"lines", {{{"sku", "A"}, {"qty", 1}, {"unit_price", 4500}}}}}};
  auto posted = PostBody(edge.http_port(), "/api/v1/events", last_week.dump());
  ASSERT_TRUE(posted && posted->body["accepted"] == 1) << (posted ? posted->body.dump() : "");
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto status = GetJson(edge.http_port(), "/api/v1/status");
        return status && (*status)["replication"].value("acked_seq", int64_t{-1}) == 8;
      },
      std::chrono::seconds(60)))
      << edge.Log();

  // What the API says, which the pages must show.
  const int port = central.http_port();
  auto net_trend = GetJson(port, "/api/v1/fleet/trend");
  auto store_trend = GetJson(port, "/api/v1/fleet/trend?store=PAR1");
  auto net_hours = GetJson(port, "/api/v1/kpi/hours?scope=network");
  auto store_hours = GetJson(port, "/api/v1/kpi/hours?scope=store:PAR1");
  auto store_today = GetJson(port, "/api/v1/kpi?scope=store:PAR1");
  ASSERT_TRUE(net_trend && store_trend && net_hours && store_hours && store_today);
  EXPECT_EQ(SumOf((*store_trend)["events_per_min"]), 8) << store_trend->dump();
  int64_t worst_lag = 0;
  for (const auto& v : (*store_trend)["lag_s"]) {
    if (v.is_number_integer()) worst_lag = std::max(worst_lag, v.get<int64_t>());
  }
  EXPECT_EQ(NetSalesOf((*net_hours)["today"]), 123456);
  EXPECT_EQ(NetSalesOf((*net_hours)["last_week"]), 4500);

  const std::string base = "http://127.0.0.1:" + std::to_string(port) + "/";
  for (const auto& [width, height] :
       {std::pair{1280, 900}, std::pair{768, 1024}, std::pair{390, 844}}) {
    SCOPED_TRACE("viewport " + std::to_string(width) + " × " + std::to_string(height));
    auto ops = RenderInViewport(base, width, height,
                                {"#store-PAR1", "#net-trend-total", "#net-hours-today"},
                                {"#fleet tbody tr"});
    ASSERT_TRUE(ops);
    EXPECT_TRUE(ops->ready) << ops->dom;
    EXPECT_EQ(ops->viewport_width, width);
    EXPECT_LE(ops->scroll_width, ops->viewport_width) << "sticking out: " << ops->overflowing;
    // Cards under 820 px, a table row above.
    EXPECT_EQ(ops->display["#fleet tbody tr"], width < 820 ? "grid" : "table-row");
    std::string par_row = Element(ops->dom, "id=\"store-PAR1\">", "</tr>");
    EXPECT_TRUE(Contains(par_row, "<a class=\"store-link\" href=\"#store=PAR1\">PAR1</a>"))
        << par_row;
    EXPECT_TRUE(Contains(par_row, "data-label=\"Lag\"")) << par_row;
    EXPECT_TRUE(Contains(Element(ops->dom, "<div id=\"glance\">", "</div>"),
                         "<a href=\"#store=PAR1\">PAR1<"))
        << ops->dom;
    EXPECT_TRUE(Contains(ops->dom, "id=\"net-trend-total\">" +
                                       Grouped(SumOf((*net_trend)["events_per_min"])) + "<"))
        << Element(ops->dom, "<figure class=\"chart\" id=\"net-trend\"", "</figure>");
    EXPECT_TRUE(Contains(ops->dom, "id=\"net-hours-today\">" +
                                       Money(NetSalesOf((*net_hours)["today"])) + "<"))
        << Element(ops->dom, "<figure class=\"chart\" id=\"net-hours\"", "</figure>");
    EXPECT_TRUE(Contains(ops->dom, "id=\"net-hours-prev\">" +
                                       Money(NetSalesOf((*net_hours)["last_week"])) + "<"))
        << Element(ops->dom, "<figure class=\"chart\" id=\"net-hours\"", "</figure>");

    auto view = RenderInViewport(base + "#store=PAR1", width, height,
                                 {"#sv-k-net_sales", "#sv-trend-total", "#sv-hours-today"},
                                 {"#store-view", "section[aria-labelledby=\"h-fleet\"]"});
    ASSERT_TRUE(view);
    EXPECT_TRUE(view->ready) << view->dom;
    EXPECT_LE(view->scroll_width, view->viewport_width) << "sticking out: " << view->overflowing;
    EXPECT_EQ(view->display["#store-view"], "block");
    EXPECT_EQ(view->display["section[aria-labelledby=\"h-fleet\"]"], "none");
    EXPECT_TRUE(Contains(view->dom, "<h2 id=\"sv-title\">PAR1 · Paris Rivoli</h2>")) << view->dom;
    EXPECT_TRUE(Contains(view->dom, "id=\"sv-k-net_sales\">" +
                                        Money((*store_today)["rows"][0]["net_sales"]) + "<"))
        << view->dom;
    EXPECT_TRUE(Contains(view->dom, "id=\"sv-k-net_sales\">1,234.56<")) << view->dom;
    if (into_day > 40 * 60'000) {  // "the same time" last week is past the sale's 15-min bucket
      EXPECT_TRUE(Contains(Element(view->dom, "id=\"sv-p-net_sales\"", "</dd>"), ": 45.00"))
          << view->dom;
    }
    EXPECT_TRUE(Contains(view->dom, "id=\"sv-trend-total\">" +
                                        Grouped(SumOf((*store_trend)["events_per_min"])) + "<"))
        << view->dom;
    if (worst_lag < 60) {
      EXPECT_TRUE(Contains(view->dom, "id=\"sv-trend-lag-worst\">" +
                                          std::to_string(worst_lag) + " s<"))
          << view->dom;
    }
    EXPECT_TRUE(Contains(view->dom, "id=\"sv-hours-today\">" +
                                        Money(NetSalesOf((*store_hours)["today"])) + "<"))
        << view->dom;
    EXPECT_TRUE(Contains(view->dom, "id=\"sv-hours-prev\">" +
                                        Money(NetSalesOf((*store_hours)["last_week"])) + "<"))
        << view->dom;
    // The signed-off days (GET /api/v1/days): one line per closed day of the last week.
    EXPECT_TRUE(Contains(Element(view->dom, "id=\"sv-days\"", "</ul>"), "class=\"att day-"))
        << view->dom;
  }
  EXPECT_EQ(edge.Stop(), 0);
  EXPECT_EQ(central.Stop(), 0);
}

// Where else is it? (the store page's network-stock section): a link with #sku=A asks the edge,
// which asks central over its replication connection; the page shows the store's own on-hand and
// every store's as central's API gives them — and, central stopped, says plainly that the network
// is unavailable while still showing the store's own stock.
TEST_F(DashboardTest, StorePageFindsWhereElseAProductIsAndSaysWhenCentralIsAway) {
  Chain chain({{"PAR1", "europe", "Europe/Paris"}, {"BOM1", "asia", "Asia/Kolkata"}});
  ASSERT_TRUE(chain.StartCentral());
  ASSERT_TRUE(chain.StartEdge(0));
  PostTodaysEvents(chain.edge(0), "w");
  ASSERT_GT(chain.WaitCaughtUp(0), 0);
  auto central = GetJson(chain.central().http_port(), "/api/v1/stock?sku=A");
  ASSERT_TRUE(central.has_value());
  ASSERT_EQ((*central)["stores"][0]["on_hand"], 9);  // received 10, sold 2, 1 returned
  ASSERT_EQ((*central)["stores"][1]["on_hand"], 0);  // BOM1: never heard from

  const std::string page =
      "http://127.0.0.1:" + std::to_string(chain.edge(0).http_port()) + "/#sku=A";
  std::string dom;
  for (int attempt = 0; attempt < 3; ++attempt) {
    TempDir profile;
    dom = RenderedDomOf(page, profile.path());
    if (Contains(dom, "<td class=\"num\">9</td>")) break;
  }
  const std::string section =
      Element(dom, "<section class=\"card\" id=\"network-stock\"", "</section>");
  EXPECT_TRUE(Contains(section, "Here: 9 on hand. The network: 9 on hand in 1 of 2 stores."))
      << section;
  EXPECT_TRUE(Contains(section, "<td>Store PAR1 (PAR1)</td><td class=\"num\">9</td>")) << section;
  EXPECT_TRUE(Contains(section,
                       "<td>Store BOM1 (BOM1)</td><td class=\"num\">0</td>"
                       "<td>never (offline)</td>"))
      << section;
  // On a phone (390 px) and a tablet, nothing of the page sticks out sideways.
  for (const auto& [width, height] : {std::pair{390, 844}, std::pair{800, 1280}}) {
    auto phone = RenderInViewport(page, width, height, {"#network-stock-table:not([hidden])"});
    ASSERT_TRUE(phone);
    EXPECT_TRUE(phone->ready) << phone->dom;
    EXPECT_LE(phone->scroll_width, phone->viewport_width) << "sticking out: " << phone->overflowing;
  }

  ASSERT_EQ(chain.central().Stop(), 0);
  for (int attempt = 0; attempt < 3; ++attempt) {
    TempDir profile;
    dom = RenderedDomOf(page, profile.path());
    if (Contains(dom, "The network is unavailable")) break;
  }
  const std::string away =
      Element(dom, "<section class=\"card\" id=\"network-stock\"", "</section>");
  EXPECT_TRUE(Contains(away,
                       "<p id=\"network-stock-note\" aria-live=\"polite\" class=\"away\">"
                       "Here: 9 on hand. The network is unavailable: "))
      << away;
  EXPECT_TRUE(Contains(away, "<table id=\"network-stock-table\" hidden=\"\">")) << away;
}

}  // namespace
}  // namespace storepulse::test_support
