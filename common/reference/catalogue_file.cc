#include "common/reference/catalogue_file.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>

#include "common/csv.h"
#include "common/event_limits.h"
#include "common/reference/catalogue_rows.h"
#include "common/time_zone.h"
#include "common/utf8.h"

namespace storepulse::common {
namespace {

constexpr const char* kHeader = "sku,name,category,brand,unit_cost,valid_from";

std::string Trim(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool IsComment(const CsvRow& row) { return Trim(row.fields[0]).starts_with("#"); }

// One row of the file: a cost step of a SKU, and the product as that row names it.
struct FileRow {
  std::string sku;
  Product product;  // its one step in costs
  size_t line = 0;
};

StatusOr<std::optional<int64_t>> ParseCost(const std::string& text) {
  if (text.empty()) return std::optional<int64_t>();
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) {
    return InvalidArgument("unit_cost " + QuoteForMessage(text) +
                           " is not a non-negative integer in minor units (450 for 4.50)");
  }
  return std::optional<int64_t>(value);
}

StatusOr<FileRow> ParseRow(const CsvRow& row) {
  if (row.fields.size() != 6) {
    return InvalidArgument("expected 6 cells (" + std::string(kHeader) + "), got " +
                           std::to_string(row.fields.size()));
  }
  std::vector<std::string> cells;
  for (const std::string& cell : row.fields) {
    if (!IsValidUtf8(cell)) return InvalidArgument("a cell is not valid UTF-8");
    cells.push_back(Trim(cell));
  }
  FileRow out;
  out.line = row.line;
  out.sku = cells[0];
  if (out.sku.empty() || out.sku.size() > kMaxIdBytes) {
    return InvalidArgument("sku must be 1 to " + std::to_string(kMaxIdBytes) + " bytes, got " +
                           std::to_string(out.sku.size()));
  }
  out.product.name = cells[1];
  out.product.category = cells[2];
  out.product.brand = cells[3];
  CostStep step;
  ASSIGN_OR_RETURN(step.unit_cost, ParseCost(cells[4]));
  if (!cells[5].empty()) {
    StatusOr<int64_t> day = TimeZone::ParseLocalDate(cells[5]);
    if (!day.ok()) {
      return InvalidArgument("valid_from " + QuoteForMessage(cells[5]) +
                             " is not a date YYYY-MM-DD (or empty: from the beginning)");
    }
    step.from_day = *day;
  }
  out.product.costs.push_back(step);
  return out;
}

Status CheckHeader(const std::vector<CsvRow>& rows, size_t* first) {
  *first = 0;
  while (*first < rows.size() && IsComment(rows[*first])) ++*first;
  std::vector<std::string> header;
  if (*first < rows.size()) {
    for (const std::string& cell : rows[*first].fields) header.push_back(Trim(cell));
  }
  if (header !=
      std::vector<std::string>{"sku", "name", "category", "brand", "unit_cost", "valid_from"}) {
    return InvalidArgument(std::string("the first line must be the header ") + kHeader);
  }
  ++*first;
  return OkStatus();
}

// A SKU's rows, one product: the steps by day (the one without a day first), the labels of the
// newest step.
Product Merge(std::vector<FileRow>& rows) {
  std::sort(rows.begin(), rows.end(), [](const FileRow& a, const FileRow& b) {
    return a.product.costs[0].from_day < b.product.costs[0].from_day;  // nullopt first
  });
  Product product = rows.back().product;
  product.costs.clear();
  for (const FileRow& row : rows) product.costs.push_back(row.product.costs[0]);
  return product;
}

}  // namespace

StatusOr<Catalogue> ParseCatalogueCsv(std::string_view text, int64_t now_ms) {
  ASSIGN_OR_RETURN(const std::vector<CsvRow> rows, ParseCsv(text));
  size_t first = 0;
  RETURN_IF_ERROR(CheckHeader(rows, &first));
  std::map<std::string, std::vector<FileRow>> by_sku;
  std::map<std::pair<std::string, std::optional<int64_t>>, size_t> seen;  // → line
  std::string errors;
  for (size_t i = first; i < rows.size(); ++i) {
    if (IsComment(rows[i])) continue;
    StatusOr<FileRow> row = ParseRow(rows[i]);
    Status status = row.status();
    if (row.ok()) {
      const auto [it, added] =
          seen.emplace(std::pair(row->sku, row->product.costs[0].from_day), rows[i].line);
      if (!added) {
        status = InvalidArgument("a second row for sku " + QuoteForMessage(row->sku) +
                                 " from the same valid_from (first on line " +
                                 std::to_string(it->second) + ")");
      }
    }
    if (!status.ok()) {
      errors += (errors.empty() ? "" : "; ") +
                ("line " + std::to_string(rows[i].line) + ": " + status.message());
    } else {
      std::string sku = row->sku;
      by_sku[sku].push_back(std::move(row).value());
    }
  }
  if (!errors.empty()) return InvalidArgument(errors);
  std::map<std::string, Product> products;
  for (auto& [sku, sku_rows] : by_sku) products.emplace_hint(products.end(), sku, Merge(sku_rows));
  Catalogue unnamed(std::move(products), "", now_ms);
  std::string version = DocumentVersion(CatalogueRows(unnamed));
  return Catalogue(unnamed.products(), std::move(version), now_ms);
}

StatusOr<std::shared_ptr<const Catalogue>> LoadCatalogue(const std::string& path, int64_t now_ms) {
  if (path.empty()) return std::shared_ptr<const Catalogue>();
  std::ifstream in(path);
  if (!in) return NotFound("cannot read the catalogue file " + path);
  std::stringstream text;
  text << in.rdbuf();
  StatusOr<Catalogue> catalogue = ParseCatalogueCsv(text.str(), now_ms);
  if (!catalogue.ok()) return InvalidArgument(path + ": " + catalogue.status().message());
  return std::make_shared<const Catalogue>(std::move(catalogue).value());
}

}  // namespace storepulse::common
