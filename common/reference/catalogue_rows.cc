#include "common/reference/catalogue_rows.h"

#include <utility>

#include "common/time_zone.h"
#include "common/utf8.h"

namespace storepulse::common {
namespace {

using nlohmann::json;

json StepJson(const CostStep& step) {
  return {{"from", step.from_day ? json(TimeZone::FormatLocalDate(*step.from_day)) : json(nullptr)},
          {"unit_cost", step.unit_cost ? json(*step.unit_cost) : json(nullptr)}};
}

StatusOr<std::string> TextMember(const json& row, const char* name) {
  const auto it = row.find(name);
  if (it == row.end() || it->is_null()) return std::string();
  if (!it->is_string()) return InvalidArgument(std::string(name) + " must be a string");
  return it->get<std::string>();
}

StatusOr<CostStep> StepFromJson(const json& step) {
  if (!step.is_object()) return InvalidArgument("a cost step must be an object");
  CostStep out;
  const auto from = step.find("from");
  if (from != step.end() && !from->is_null()) {
    if (!from->is_string()) return InvalidArgument("from must be a date YYYY-MM-DD or null");
    ASSIGN_OR_RETURN(out.from_day, TimeZone::ParseLocalDate(from->get<std::string>()));
  }
  const auto cost = step.find("unit_cost");
  if (cost != step.end() && !cost->is_null()) {
    if (!cost->is_number_integer() || cost->get<int64_t>() < 0) {
      return InvalidArgument("unit_cost must be a non-negative integer (minor units) or null");
    }
    out.unit_cost = cost->get<int64_t>();
  }
  return out;
}

StatusOr<Product> ProductFromJson(const json& row) {
  if (!row.is_object()) return InvalidArgument("the row must be an object");
  Product product;
  ASSIGN_OR_RETURN(product.name, TextMember(row, "name"));
  ASSIGN_OR_RETURN(product.category, TextMember(row, "category"));
  ASSIGN_OR_RETURN(product.brand, TextMember(row, "brand"));
  const auto costs = row.find("costs");
  if (costs == row.end() || costs->is_null()) return product;
  if (!costs->is_array()) return InvalidArgument("costs must be an array");
  for (const json& step : *costs) {
    ASSIGN_OR_RETURN(CostStep parsed, StepFromJson(step));
    // Strictly increasing days, the step without a day (the beginning) only first.
    if (!product.costs.empty() &&
        (!parsed.from_day ||
         (product.costs.back().from_day && *product.costs.back().from_day >= *parsed.from_day))) {
      return InvalidArgument("costs must be in order of their day, each day once");
    }
    product.costs.push_back(parsed);
  }
  return product;
}

}  // namespace

DocumentRows CatalogueRows(const Catalogue& catalogue) {
  DocumentRows rows;
  for (const auto& [sku, product] : catalogue.products()) {
    json costs = json::array();
    for (const CostStep& step : product.costs) costs.push_back(StepJson(step));
    rows[sku] = {{"name", product.name},
                 {"category", product.category},
                 {"brand", product.brand},
                 {"costs", std::move(costs)}};
  }
  return rows;
}

StatusOr<Catalogue> CatalogueFromRows(const DocumentRows& rows, std::string version,
                                      int64_t received_ms) {
  std::map<std::string, Product> products;
  for (const auto& [sku, row] : rows) {
    StatusOr<Product> product = ProductFromJson(row);
    if (!product.ok()) {
      return InvalidArgument("catalogue row " + QuoteForMessage(sku) + ": " +
                             product.status().message());
    }
    products.emplace_hint(products.end(), sku, std::move(product).value());
  }
  if (version.empty()) version = DocumentVersion(rows);
  return Catalogue(std::move(products), std::move(version), received_ms);
}

}  // namespace storepulse::common
