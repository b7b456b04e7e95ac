#include "common/reference/catalogue.h"

namespace storepulse::common {

const Product* Catalogue::Find(const std::string& sku) const {
  const auto it = products_.find(sku);
  return it == products_.end() ? nullptr : &it->second;
}

std::optional<int64_t> Catalogue::CostOn(const std::string& sku, int64_t day) const {
  const Product* product = Find(sku);
  if (product == nullptr) return std::nullopt;
  const CostStep* in_force = nullptr;
  for (const CostStep& step : product->costs) {  // few steps: a linear walk is the fastest
    if (step.from_day && *step.from_day > day) break;
    in_force = &step;
  }
  return in_force == nullptr ? std::nullopt : in_force->unit_cost;
}

std::string Catalogue::CategoryOf(const std::string& sku) const {
  const Product* product = Find(sku);
  if (product == nullptr || product->category.empty()) return std::string(kNoCategory);
  return product->category;
}

}  // namespace storepulse::common
