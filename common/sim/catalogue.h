// The chain's simulated catalogue: SKU ids, unit prices, popularity (Zipf-like, so that a few
// SKUs sell far more than the rest and top_skus is meaningful) and how often each SKU is
// replenished. Built from (size, exponent, price range, seed) only, so every store of a chain
// shares it. Immutable after construction; thread-safe to share.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/sim/alias_table.h"
#include "common/sim/sim_random.h"

namespace storepulse::common::sim {

struct Sku {
  std::string id;          // "SKU-00042"
  int64_t unit_price = 0;  // minor units
  double popularity = 0;   // share of units sold; the shares sum to 1
  int replenish_days = 7;  // days between two receipts: 1 for best sellers … 7 for the tail
};

struct CatalogueSpec {
  int size = 500;
  double zipf_exponent = 1.0;
  int64_t min_price = 100;
  int64_t max_price = 20'000;
  uint64_t seed = 1;
};

class Catalogue {
 public:
  // REQUIRES: spec.size >= 1, 0 < min_price <= max_price.
  explicit Catalogue(const CatalogueSpec& spec);

  const Sku& sku(size_t index) const { return skus_[index]; }
  size_t size() const { return skus_.size(); }
  // A SKU index, drawn by popularity.
  size_t Draw(SimRandom& rng) const { return popularity_.Draw(rng); }

 private:
  std::vector<Sku> skus_;
  AliasTable popularity_;
};

}  // namespace storepulse::common::sim
