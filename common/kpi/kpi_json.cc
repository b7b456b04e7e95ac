#include "common/kpi/kpi_json.h"

#include <string>

#include "common/kpi/kpi_catalogue.h"
#include "common/kpi/kpi_compare.h"
#include "common/kpi/kpi_query.h"
#include "common/time_util.h"

namespace storepulse::common {
namespace {

using nlohmann::json;

json OptionalString(const std::optional<std::string>& text) {
  return text ? json(*text) : json(nullptr);
}

// {"<kpi>": value, …} for every KPI of the catalogue.
json ValuesJson(const std::array<KpiValue, kKpiCount>& values) {
  json object = json::object();
  for (Kpi kpi : AllKpis()) {
    object[std::string(KpiName(kpi))] = KpiValueJson(values[static_cast<size_t>(kpi)]);
  }
  return object;
}

// The catalogue's labels of a SKU into `object`: "name", "category", "brand", null when unknown
// (or empty).
void AddProductLabels(const Catalogue* catalogue, const std::string& sku, json* object) {
  const Product* product = catalogue == nullptr ? nullptr : catalogue->Find(sku);
  const auto label = [](const std::string& text) { return text.empty() ? json() : json(text); };
  (*object)["name"] = product ? label(product->name) : json();
  (*object)["category"] = product ? label(product->category) : json();
  (*object)["brand"] = product ? label(product->brand) : json();
}

// [{"sku":…, "name":…, "category":…, "<figure>":value}, …]
json TopSkusJson(const std::vector<TopSku>& top, Kpi figure, const Catalogue* catalogue) {
  json list = json::array();
  for (const TopSku& sku : top) {
    json entry = {{"sku", sku.sku}, {std::string(KpiName(figure)), sku.value}};
    AddProductLabels(catalogue, sku.sku, &entry);
    entry.erase("brand");
    list.push_back(std::move(entry));
  }
  return list;
}

json CatalogueStampJson(const KpiAnswer& answer) {
  if (!answer.catalogue) return nullptr;
  return {{"version", answer.catalogue->version()},
          {"received_at", FormatRfc3339Utc(answer.catalogue->received_ms())},
          {"age_s", answer.catalogue_age_s}};
}

json CompareJson(const Comparison& compare) {
  return {{"with", std::string(CompareWithName(compare.with))},
          {"days", compare.days},
          {"from", OptionalString(compare.from)},
          {"to", OptionalString(compare.to)}};
}

// How a client reads a value of each unit (the same words as docs/KPIS.md).
std::string_view UnitDescription(KpiUnit unit) {
  switch (unit) {
    case KpiUnit::kMoney:
      return "minor units of the store's currency (cents): 123456 is 1,234.56";
    case KpiUnit::kMoneyPerM2:
      return "minor units of the store's currency per m² of sales area";
    case KpiUnit::kCount:
      return "a count: sales, units, visitors, customers, SKUs";
    case KpiUnit::kRatio:
      return "a quotient of counts that is not a share, e.g. units per sale";
    case KpiUnit::kRate:
      return "a fraction, 0-1 as a rule (a period's edges may leave it): 0.25 is 25%";
    case KpiUnit::kScore:
      return "a net score from -100 to 100";
    case KpiUnit::kPercent:
      return "a share already scaled to 0-100";
    case KpiUnit::kMinutes:
      return "minutes";
    case KpiUnit::kHours:
      return "hours, worked by the staff on the floor or elapsed: 7.5 is seven and a half hours";
    case KpiUnit::kMoneyPerHour:
      break;
  }
  return "minor units of the store's currency per hour worked";
}

nlohmann::json BuildCatalogueJson() {
  nlohmann::json kpis = nlohmann::json::array();
  nlohmann::json units = nlohmann::json::object();
  for (const KpiInfo& info : kKpiCatalogue) {
    kpis.push_back({{"name", info.name},
                    {"label", info.label},
                    {"short_label", info.short_label},
                    {"unit", KpiUnitName(info.unit)},
                    {"number", info.number == KpiNumber::kInteger ? "integer" : "real"},
                    {"higher_is_better", info.higher_is_better},
                    {"cumulative", info.cumulative},
                    {"may_be_approximate", info.may_be_approximate}});
    units[std::string(KpiUnitName(info.unit))] = UnitDescription(info.unit);
  }
  return {{"kpis", std::move(kpis)}, {"units", std::move(units)}};
}

}  // namespace

json KpiValueJson(const KpiValue& value) {
  if (value.is_integer()) return value.integer();
  if (value.is_real()) return value.AsDouble();
  return nullptr;
}

json CompletenessJson(const DayCompleteness& day) {
  json missing = json::array();
  for (const SourceRef& source : day.missing) {
    missing.push_back({{"kind", SourceKindName(source.kind)},
                       {"id", source.id},
                       {"label", SourceLabel(source)}});
  }
  const std::optional<bool> complete = day.complete();
  return {{"complete", complete ? json(*complete) : json(nullptr)},
          {"known", day.known},
          {"missing", std::move(missing)}};
}

json KpiRowJson(const KpiRow& row) {
  json object = ValuesJson(row.values);
  object["key"] = row.key;
  if (row.approximate.any()) {
    json names = json::array();
    for (Kpi kpi : AllKpis()) {
      if (row.approximate.test(static_cast<size_t>(kpi))) names.push_back(KpiName(kpi));
    }
    object["approximate"] = std::move(names);
  }
  return object;
}

json KpiAnswerJson(const KpiAnswer& answer) {
  json rows = json::array();
  for (size_t i = 0; i < answer.rows.size(); ++i) {
    json row = KpiRowJson(answer.rows[i]);
    if (answer.by == GroupBy::kSku) {
      AddProductLabels(answer.catalogue.get(), answer.rows[i].key, &row);
    }
    const auto day = answer.completeness.find(answer.rows[i].key);
    if (day != answer.completeness.end()) row["completeness"] = CompletenessJson(day->second);
    if (answer.compare && i < answer.compare->rows.size()) {
      const RowComparison& compared = answer.compare->rows[i];
      row["previous"] = KpiRowJson(compared.previous);
      row["delta"] = ValuesJson(compared.delta);
      row["change"] = ValuesJson(compared.change);
    }
    rows.push_back(std::move(row));
  }
  json object = {{"from", OptionalString(answer.from)},
                 {"to", OptionalString(answer.to)},
                 {"scope", answer.scope},
                 {"by", std::string(GroupByName(answer.by))},
                 {"rows", std::move(rows)}};
  if (answer.top_skus) {
    const Catalogue* catalogue = answer.catalogue.get();
    object["top_skus"] = {
        {"by_units", TopSkusJson(answer.top_skus->by_units, Kpi::kUnitsSold, catalogue)},
        {"by_value", TopSkusJson(answer.top_skus->by_value, Kpi::kNetSales, catalogue)}};
  }
  object["catalogue"] = CatalogueStampJson(answer);
  if (answer.compare) object["compare"] = CompareJson(*answer.compare);
  return object;
}

const json& KpiCatalogueJson() {
  static const nlohmann::json catalogue = BuildCatalogueJson();
  return catalogue;
}

}  // namespace storepulse::common
