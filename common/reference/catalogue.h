// The product catalogue head office keeps (issue 11, docs/KPIS.md "Cost and margin"): every SKU's
// name, category and brand, and its unit cost as a history — each cost applies from a local day
// on (`from_day`; none: from the beginning) until the next one. The cost in force on a sale's
// local day is what `cogs` counts, so a cost change is taken from its day on and a late catalogue
// gives the right answer without refolding anything.
//
// Central loads it from `--catalogue-file` (common/reference/catalogue_file.h) and sends it to
// every edge as the reference document `catalogue` (common/reference/catalogue_rows.h); both ends
// hold the same parsed value and so compute the same margins. Immutable once built; shared
// between threads through std::shared_ptr<const Catalogue>.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace storepulse::common {

// One step of a SKU's cost history.
struct CostStep {
  std::optional<int64_t> from_day;   // local day number (TimeZone); none: since the beginning
  std::optional<int64_t> unit_cost;  // minor units; none: no cost known from from_day on
  bool operator==(const CostStep&) const = default;
};

struct Product {
  std::string name;             // may be empty
  std::string category;         // may be empty: the product is in category "(none)"
  std::string brand;            // may be empty
  std::vector<CostStep> costs;  // by from_day, the step without a day first; distinct days
  bool operator==(const Product&) const = default;
};

// The category of a SKU the catalogue does not know, or knows without a category.
inline constexpr std::string_view kNoCategory = "(none)";

class Catalogue {
 public:
  Catalogue() = default;
  // `products` keyed by SKU; each history sorted as Product says (CatalogueFromRows and
  // ParseCatalogueCsv build it so). `version` names the content (common::DocumentVersion of
  // its rows); `received_ms` is when this end got it (edge: stored; central: loaded).
  Catalogue(std::map<std::string, Product> products, std::string version, int64_t received_ms)
      : products_(std::move(products)), version_(std::move(version)), received_ms_(received_ms) {}

  const std::map<std::string, Product>& products() const { return products_; }
  const std::string& version() const { return version_; }
  int64_t received_ms() const { return received_ms_; }

  // The product of `sku`, or nullptr.
  const Product* Find(const std::string& sku) const;
  // The unit cost of `sku` in force on local day `day`: the last step starting on or before it;
  // none when the SKU is unknown, no step has started yet, or that step has no cost.
  std::optional<int64_t> CostOn(const std::string& sku, int64_t day) const;
  // The category of `sku`, kNoCategory when unknown or empty.
  std::string CategoryOf(const std::string& sku) const;

 private:
  std::map<std::string, Product> products_;
  std::string version_;
  int64_t received_ms_ = 0;
};

}  // namespace storepulse::common
