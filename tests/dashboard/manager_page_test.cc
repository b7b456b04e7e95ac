// The store page's manager frame in headless chromium (docs/DASHBOARDS.md): the store's name, "you
// / your region / the network" with the rank and the age of the figures, and head office's reports
// for the profile — over a real edge and central. The context and reports central publishes are
// delivered into the edge's database by the test (edge::StoreSnapshot), as the edge stores what
// central sends; central is then stopped, and the page at 1280, 800 and 390 px still shows the last
// context with its age, its figures equal to the APIs', no figure box cut, ellipsised or spilling
// out, and the reports as head office last changed them. Skipped without /usr/bin/chromium.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "common/reference/reference_document.h"
#include "common/time_zone.h"
#include "edge/event_store.h"
#include "edge/reference_store.h"
#include "tests/dashboard/viewport_render.h"
#include "tests/integration/chain.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

using nlohmann::json;

constexpr char kChromium[] = "/usr/bin/chromium";

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// 1,234 → "1,234"; money in cents → "1,334.56", as the page writes them.
std::string Grouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "−" : "") + out;
}
std::string Money(const json& cents) {
  const int64_t c = cents.get<int64_t>();
  const std::string frac = std::to_string(c % 100);
  return Grouped(c / 100) + "." + (frac.size() < 2 ? "0" : "") + frac;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string Element(const std::string& dom, const std::string& open_tag,
                    const std::string& close_tag) {
  size_t begin = dom.find(open_tag);
  if (begin == std::string::npos) return "";
  size_t end = dom.find(close_tag, begin);
  return dom.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

void Deliver(EdgeNode& edge, std::string_view kind, const common::DocumentRows& rows) {
  SQLite::Database db(edge::EdgeDatabasePath(edge.options().data_dir), SQLite::OPEN_READWRITE);
  db.setBusyTimeout(10'000);
  const common::Status stored =
      edge::StoreSnapshot(db, kind, common::DocumentVersion(rows), rows, NowMillis());
  ASSERT_TRUE(stored.ok()) << stored.message();
}

// Central's GET /api/v1/context and /api/v1/reports answers back into documents' rows.
common::DocumentRows ContextRowsOf(json answer) {
  common::DocumentRows rows;
  rows["today"] = answer["today"];
  rows["yesterday"] = answer["yesterday"];
  for (const char* key : {"today", "yesterday", "version", "published_at"}) answer.erase(key);
  rows["store"] = answer;
  return rows;
}
common::DocumentRows ReportRowsOf(const json& answer) {
  common::DocumentRows rows;
  for (json report : answer["reports"]) {
    const std::string name = report["name"];
    report.erase("name");
    rows[name] = report;
  }
  return rows;
}

TEST(ManagerPageTest, ShowsTheStoreBesideItsRegionAndHeadOfficesReportsWithCentralDown) {
  if (!std::filesystem::exists(kChromium)) GTEST_SKIP() << kChromium << " is missing";
  TempDir files;
  const std::string reports =
      files.Write("reports.csv",
                  "name,audience,title,kpis,by,period,scope\n"
                  "daily,manager|advisor,Today at a glance,net_sales|transactions|aov,,today,\n"
                  "ops-hours,ops,Hours for ops,footfall,hour,today,network\n");
  Chain chain({{"PAR1", "europe", "Europe/Paris"}, {"LYO2", "europe", "Europe/Paris"}},
              {"--context-interval-s", "1", "--reports-file", reports});
  ASSERT_TRUE(chain.StartCentral());
  ASSERT_TRUE(chain.StartEdge(0));
  EdgeNode& edge = chain.edge(0);
  // Today: 2 × 500.00 and 1 × 334.56 — net sales 1,334.56 over 2 sales, basket 667.28.
  // Yesterday at noon (Paris): 1 × 100.00.
  const int64_t now = NowMillis() - 1000;
  const common::TimeZone paris = *common::TimeZone::Load("Europe/Paris");
  const int64_t yesterday_noon = paris.LocalDayStartMs(paris.LocalDayOf(now) - 1) + 12 * 3'600'000;
  auto sale = [](const char* id, int64_t ts, const char* sku, int qty, int64_t price) {
    return json{
        {"id", id},           {"type", "sale"},
        {"ts", ts},           {"txn", std::string("t-") + id},
        {"channel", "store"}, {"lines", {{{"sku", sku}, {"qty", qty}, {"unit_price", price}}}}};
  };
  const json events = json::array({sale("m1", now, "A", 2, 50000), sale("m2", now, "B", 1, 33456),
                                   sale("m3", yesterday_noon, "A", 1, 10000)});
  auto posted = PostBody(edge.http_port(), "/api/v1/events", events.dump());
  ASSERT_TRUE(posted && posted->status == 200) << (posted ? posted->body.dump() : "no reply");
  ASSERT_EQ(chain.WaitCaughtUp(0), 3);
  std::optional<json> context;
  ASSERT_TRUE(WaitUntil([&] {
    context = GetJson(chain.central().http_port(), "/api/v1/context?store=PAR1");
    return context && context->contains("today") &&
           (*context)["today"]["store"]["net_sales"] == 133456;
  })) << chain.central().Log();
  Deliver(edge, common::kContextDocument, ContextRowsOf(*context));
  auto published = GetJson(chain.central().http_port(), "/api/v1/reports");
  ASSERT_TRUE(published);
  Deliver(edge, common::kReportsDocument, ReportRowsOf(*published));

  const std::string url = "http://127.0.0.1:" + std::to_string(edge.http_port()) + "/";
  auto first = RenderInViewport(url, 1280, 900, {"#ctx-store-net_sales", "#rep-table"});
  ASSERT_TRUE(first);
  ASSERT_TRUE(first->ready) << first->dom;
  const std::string first_list = Element(first->dom, "id=\"rep-list\"", "</div>");
  EXPECT_TRUE(Contains(first_list, ">Today at a glance</button>")) << first_list;
  EXPECT_FALSE(Contains(first_list, "Hours for ops")) << first_list;  // not a manager's report

  // Head office changes the reports; central re-reads the file, the store gets it; central stops.
  files.Write("reports.csv",
              "name,audience,title,kpis,by,period,scope\n"
              "daily,manager,Where we are today,net_sales|transactions|aov,,today,\n");
  chain.central().Signal(SIGHUP);
  ASSERT_TRUE(WaitUntil([&] {
    published = GetJson(chain.central().http_port(), "/api/v1/reports");
    return published && (*published)["reports"].size() == 1;
  })) << chain.central().Log();
  Deliver(edge, common::kReportsDocument, ReportRowsOf(*published));
  ASSERT_EQ(chain.central().Stop(), 0);

  auto held = GetJson(edge.http_port(), "/api/v1/context");
  auto run = GetJson(edge.http_port(), "/api/v1/reports/daily");
  ASSERT_TRUE(held && run);
  const json& today = (*held)["today"];
  EXPECT_EQ(today["store"]["net_sales"], 133456);
  EXPECT_EQ(today["region"]["net_sales"], 133456);  // LYO2 sold nothing
  EXPECT_EQ(today["rank"]["net_sales"], json::parse(R"({"rank":1,"of":1})"));
  EXPECT_EQ((*run)["rows"][0]["aov"], 66728.0);
  for (const auto& [width, height] :
       {std::pair{1280, 900}, std::pair{800, 1024}, std::pair{390, 844}}) {
    SCOPED_TRACE("viewport " + std::to_string(width));
    auto page = RenderInViewport(url, width, height, {"#ctx-store-net_sales", "#rep-table"}, {},
                                 {".tile .v", "#context .fig", "#rep-table td"});
    ASSERT_TRUE(page);
    ASSERT_TRUE(page->ready) << page->dom;
    EXPECT_LE(page->scroll_width, page->viewport_width) << "sticking out: " << page->overflowing;
    EXPECT_EQ(page->clipped, "");
    const std::string& dom = page->dom;
    EXPECT_TRUE(Contains(dom, "<span class=\"store\" id=\"store\">Store PAR1</span>")) << dom;
    for (const char* who : {"store", "region", "network"}) {
      EXPECT_TRUE(Contains(dom, std::string("id=\"ctx-") + who + "-net_sales\">" +
                                    Money(today[who]["net_sales"]) + "<"))
          << who << Element(dom, "<section id=\"context\"", "</section>");
    }
    EXPECT_TRUE(Contains(dom, "id=\"ctx-store-net_sales\">1,334.56<")) << dom;
    EXPECT_TRUE(Contains(dom, "id=\"ctx-store-aov\">667.28<")) << dom;
    EXPECT_TRUE(Contains(dom, "id=\"ctx-rank-net_sales\">1 of 1 in region<")) << dom;
    EXPECT_TRUE(Contains(Element(dom, "id=\"ctx-age\"", "</p>"), "Network figures from ")) << dom;
    const std::string table = Element(dom, "<table id=\"rep-table\">", "</table>");
    EXPECT_TRUE(Contains(table, "<caption>Where we are today</caption>")) << table;
    EXPECT_TRUE(Contains(table, "<th scope=\"row\">Total</th><td>" +
                                    Money((*run)["rows"][0]["net_sales"]) + "</td><td>2</td><td>" +
                                    "667.28</td>"))
        << table;
  }

  // The period picker drives the tiles; the address keeps it. Yesterday: the 100.00 sale alone.
  auto yesterday = RenderInViewport(url + "#period=yesterday", 1280, 900,
                                    {"#ctx-store-net_sales", "#rep-table"});
  ASSERT_TRUE(yesterday && yesterday->ready);
  EXPECT_TRUE(Contains(yesterday->dom, "id=\"period-label\">yesterday<")) << yesterday->dom;
  EXPECT_TRUE(Contains(yesterday->dom, "id=\"k-net_sales\">100.00<")) << yesterday->dom;
  EXPECT_TRUE(Contains(yesterday->dom, "data-period=\"yesterday\" aria-pressed=\"true\""))
      << yesterday->dom;
  // This week against last year: the tiles equal the KPI API over Monday to today.
  std::optional<json> week_kpi;
  for (int back = 0; back < 7; ++back) {  // the Monday of this week, by the calendar
    const int64_t day = paris.LocalDayOf(now) - back;
    if (((day + 3) % 7 + 7) % 7 != 0) continue;  // 1970-01-01 (day 0) was a Thursday
    week_kpi = GetJson(edge.http_port(),
                       "/api/v1/kpi?by=total&from=" + common::TimeZone::FormatLocalDate(day) +
                           "&to=" + common::TimeZone::FormatLocalDate(paris.LocalDayOf(now) + 1));
  }
  ASSERT_TRUE(week_kpi);
  auto week = RenderInViewport(url + "#period=week&compare=previous_year", 1280, 900,
                               {"#ctx-store-net_sales", "#rep-table"});
  ASSERT_TRUE(week && week->ready);
  EXPECT_TRUE(Contains(week->dom, "id=\"period-label\">this week<")) << week->dom;
  EXPECT_TRUE(
      Contains(week->dom, "id=\"k-net_sales\">" + Money((*week_kpi)["rows"][0]["net_sales"]) + "<"))
      << week->dom;
  EXPECT_TRUE(Contains(Element(week->dom, "id=\"d-net_sales\"", "</span>"), "vs last year"))
      << week->dom;
  EXPECT_EQ(edge.Stop(), 0);
}

}  // namespace
}  // namespace storepulse::test_support
