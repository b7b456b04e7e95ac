#include "common/sim/sim_model.h"

#include <algorithm>
#include <cmath>

#include "common/sim/basket.h"

namespace storepulse::common::sim {
namespace {

CatalogueSpec SpecOf(const SimOptions& o) {
  return CatalogueSpec{o.catalogue_size, o.sku_zipf_exponent, o.min_price, o.max_price,
                       o.catalogue_seed};
}

// "S1-E01": numbered from 1, zero-padded to the width of the count.
std::vector<std::string> Numbered(const std::string& prefix, size_t count, size_t min_width) {
  const size_t width = std::max(min_width, std::to_string(count).size());
  std::vector<std::string> names;
  for (size_t i = 1; i <= count; ++i) {
    std::string digits = std::to_string(i);
    digits.insert(0, width - std::min(width, digits.size()), '0');
    names.push_back(prefix + digits);
  }
  return names;
}

// Bigger stores have more doors; the main entrance counts the most visitors.
std::vector<double> DoorShares(double size) {
  if (size < 0.75) return {1.0};
  if (size < 2.0) return {0.58, 0.42};
  if (size < 5.0) return {0.45, 0.35, 0.20};
  return {0.36, 0.30, 0.20, 0.14};
}

}  // namespace

SimModel::SimModel(const SimStore& s, const SimOptions& o)
    : store(s.store),
      id_prefix(s.store + "-"),
      zone(s.zone),
      size(s.size),
      key(Mix64(HashName(s.store) ^ Mix64(s.seed))),
      options(o),
      catalogue(SpecOf(o)) {
  employees = Numbered(id_prefix + "E", static_cast<size_t>(o.employees), 2);
  const double tills_wanted = std::round(2 + 2 * std::sqrt(size));
  tills = Numbered(id_prefix + "T", static_cast<size_t>(std::clamp(tills_wanted, 2.0, 40.0)), 1);
  door_shares = DoorShares(size);
  doors = Numbered(id_prefix + "door-", door_shares.size(), 1);
  customer_base = std::max<int64_t>(100, std::llround(o.customers * size));

  visitors_per_day = o.daily_visitors * size;
  store_sales_per_day = visitors_per_day * o.conversion;
  online_sales_per_day = store_sales_per_day * o.online_share;
  cc_orders_per_day = store_sales_per_day * o.click_collect_share;
  sfs_orders_per_day = store_sales_per_day * o.ship_from_store_share;
  units_per_day =
      (store_sales_per_day + online_sales_per_day + cc_orders_per_day + sfs_orders_per_day) *
      MeanUnitsPerSale();
}

}  // namespace storepulse::common::sim
