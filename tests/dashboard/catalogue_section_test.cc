// The store page's catalogue section (edge/dashboard.html, <section id="catalogue">) in Debian's
// headless chromium at a wall screen's, a tablet's and a phone's width: a real edge holding a
// catalogue (put into edge.db as central's downlink would: edge::StoreSnapshot) shows today's
// margin, sales by category and the best sellers' names — the figures its KPI API gives, hand
// checked — and nothing of the section sticks out of the phone's screen. Skipped when
// /usr/bin/chromium is missing.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "common/reference/catalogue_file.h"
#include "common/reference/catalogue_rows.h"
#include "edge/event_store.h"
#include "edge/reference_store.h"
#include "tests/dashboard/viewport_render.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

using nlohmann::json;

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Element(const std::string& dom, const std::string& open_tag,
                    const std::string& close_tag) {
  const size_t begin = dom.find(open_tag);
  if (begin == std::string::npos) return "";
  const size_t end = dom.find(close_tag, begin);
  return dom.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// 2 mugs at 500.00 sold and one returned at 100.00, a tea at 334.56: net sales 1,234.56. The mug
// costs 200.00 and the tea 120.00: cogs (2 − 1) × 200.00 + 120.00 = 320.00, margin 914.56,
// 74.1 %. Kitchen 900.00 of sales, 700.00 of margin (77.8 %); Grocery 334.56, 214.56 (64.1 %).
void PostSales(EdgeNode& edge) {
  const int64_t ts = NowMillis();
  const auto line = [](const char* sku, int qty, int64_t price) {
    return json{{"sku", sku}, {"qty", qty}, {"unit_price", price}};
  };
  const json events = json::array({{{"id", "s1"},
                                    {"type", "sale"},
                                    {"ts", ts},
                                    {"txn", "t1"},
                                    {"lines", {line("A", 2, 50000)}}},
                                   {{"id", "s2"},
                                    {"type", "sale"},
                                    {"ts", ts},
                                    {"txn", "t2"},
                                    {"lines", {line("B", 1, 33456)}}},
                                   {{"id", "r1"},
                                    {"type", "return"},
                                    {"ts", ts},
                                    {"txn", "t3"},
                                    {"lines", {line("A", 1, 10000)}}}});
  auto reply = PostBody(edge.http_port(), "/api/v1/events", events.dump());
  ASSERT_TRUE(reply && reply->status == 200 && reply->body["accepted"] == 3)
      << (reply ? reply->body.dump() : "no reply");
}

void GiveCatalogue(EdgeNode& edge) {
  const common::Catalogue catalogue = *common::ParseCatalogueCsv(
      "sku,name,category,brand,unit_cost,valid_from\n"
      "A,Stoneware mug with a very long name for a phone,Kitchen,Acme,20000,\n"
      "B,Green tea,Grocery,Leaf,12000,\n",
      0);
  SQLite::Database db(edge::EdgeDatabasePath(edge.options().data_dir), SQLite::OPEN_READWRITE);
  db.setBusyTimeout(10000);
  ASSERT_TRUE(edge::StoreSnapshot(db, common::kCatalogueDocument, catalogue.version(),
                                  common::CatalogueRows(catalogue), NowMillis())
                  .ok());
}

TEST(CatalogueSectionTest, TheStorePageShowsTheMarginCategoriesAndNamesOfItsApiAtEveryWidth) {
  if (!std::filesystem::exists("/usr/bin/chromium")) GTEST_SKIP() << "no /usr/bin/chromium";
  TempDir dir;
  EdgeNode edge({"CAT1", "Europe/Paris", dir.File("edge"), {}});
  ASSERT_TRUE(edge.Start());
  PostSales(edge);
  GiveCatalogue(edge);
  // The API the page reads, checked by hand first.
  auto total = GetJson(edge.http_port(), "/api/v1/kpi");
  auto categories = GetJson(edge.http_port(), "/api/v1/kpi?by=category");
  ASSERT_TRUE(total && categories);
  ASSERT_EQ((*total)["rows"][0]["gross_margin"], 91456) << total->dump();
  ASSERT_EQ((*total)["rows"][0]["cogs"], 32000);
  ASSERT_EQ((*categories)["rows"].size(), 2u) << categories->dump();

  const std::string page = "http://127.0.0.1:" + std::to_string(edge.http_port()) + "/";
  for (const auto& [width, height] :
       {std::pair{1280, 900}, std::pair{800, 1024}, std::pair{390, 844}}) {
    SCOPED_TRACE("viewport " + std::to_string(width));
    auto view =
        RenderInViewport(page, width, height, {"#cat-gross_margin", "#cat-categories th.cat-name"},
                         {}, {}, {"#catalogue"});
    ASSERT_TRUE(view);
    ASSERT_TRUE(view->ready) << view->dom;
    const std::string section = Element(view->dom, "<section id=\"catalogue\"", "</section>");
    EXPECT_TRUE(Contains(section, "id=\"cat-gross_margin\">914.56<")) << section;
    EXPECT_TRUE(Contains(section, "id=\"cat-margin_rate\">74.1%<")) << section;
    EXPECT_TRUE(Contains(section, "id=\"cat-cogs\">320.00<")) << section;
    EXPECT_TRUE(Contains(section,
                         "<th scope=\"row\" class=\"cat-name\">Kitchen</th><td>900.00</td>"
                         "<td>2</td><td>700.00</td><td>77.8%</td>"))
        << section;
    EXPECT_TRUE(Contains(section,
                         "<th scope=\"row\" class=\"cat-name\">Grocery</th><td>334.56</td>"
                         "<td>1</td><td>214.56</td><td>64.1%</td>"))
        << section;
    EXPECT_LT(section.find(">Kitchen<"), section.find(">Grocery<"));  // by net sales
    EXPECT_TRUE(Contains(section, "Catalogue from head office, received just now (version " +
                                      (*categories)["catalogue"]["version"].get<std::string>()))
        << section;
    const std::string skus = Element(view->dom, "<table id=\"skus\">", "</table>");
    EXPECT_TRUE(Contains(skus, "Stoneware mug with a very long name for a phone")) << skus;
    EXPECT_TRUE(Contains(skus, "A · Kitchen")) << skus;
    // Nothing of the section is cut, ellipsised or pushed off the screen.
    EXPECT_EQ(view->overflowing_within["#catalogue"], "") << view->dom;
  }
  EXPECT_EQ(edge.Stop(), 0);
}

}  // namespace
}  // namespace storepulse::test_support
