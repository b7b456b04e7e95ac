// Fuzzes central's catalogue file (common/reference/catalogue_file.h: ParseCatalogueCsv), read at
// start and on SIGHUP. Asserts, for a file it reads:
//   - every SKU is 1–64 bytes and every cost non-negative; each cost history is in order of its
//     days, the step without a day (the beginning) only first;
//   - the catalogue's rows (catalogue_rows.h, what central sends the edges) parse back to the
//     same products and version;
//   - the catalogue written back as a file (every cell quoted) reads back to the same products.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/reference/catalogue_file.h"
#include "common/reference/catalogue_rows.h"
#include "common/time_zone.h"
#include "tests/fuzz/fuzz_check.h"

namespace common = storepulse::common;

namespace {

std::string Quoted(std::string_view cell) {
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

// The file of `catalogue`: one row per cost step, each with the product's labels.
std::string Written(const common::Catalogue& catalogue) {
  std::string text = "sku,name,category,brand,unit_cost,valid_from\n";
  for (const auto& [sku, product] : catalogue.products()) {
    for (const common::CostStep& step : product.costs) {
      text += Quoted(sku) + "," + Quoted(product.name) + "," + Quoted(product.category) + "," +
              Quoted(product.brand) + "," +
              (step.unit_cost ? std::to_string(*step.unit_cost) : "") + "," +
              (step.from_day ? common::TimeZone::FormatLocalDate(*step.from_day) : "") + "\n";
    }
  }
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto catalogue =
      common::ParseCatalogueCsv(std::string_view(reinterpret_cast<const char*>(data), size), 0);
  if (!catalogue.ok()) return 0;
  for (const auto& [sku, product] : catalogue->products()) {
    FUZZ_CHECK(!sku.empty() && sku.size() <= 64, "a SKU of " + std::to_string(sku.size()) + " B");
    FUZZ_CHECK(!product.costs.empty(), "SKU " + sku + " has no cost step");
    for (size_t i = 0; i < product.costs.size(); ++i) {
      const common::CostStep& step = product.costs[i];
      FUZZ_CHECK(!step.unit_cost || *step.unit_cost >= 0, "a negative cost of " + sku);
      FUZZ_CHECK(i == 0 || (step.from_day && (!product.costs[i - 1].from_day ||
                                              *product.costs[i - 1].from_day < *step.from_day)),
                 "the cost history of " + sku + " is out of order");
    }
  }
  auto from_rows = common::CatalogueFromRows(common::CatalogueRows(*catalogue));
  FUZZ_CHECK(from_rows.ok(), "its rows refused: " + from_rows.status().message());
  FUZZ_CHECK(from_rows->products() == catalogue->products(), "its rows parse to other products");
  FUZZ_CHECK(from_rows->version() == catalogue->version(), "its rows have another version");
  auto again = common::ParseCatalogueCsv(Written(*catalogue), 0);
  FUZZ_CHECK(again.ok(), "written catalogue refused: " + again.status().message());
  FUZZ_CHECK(again->products() == catalogue->products(), "products differ after writing back");
  return 0;
}
