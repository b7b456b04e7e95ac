#include "common/sim/catalogue.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace storepulse::common::sim {
namespace {

std::string SkuId(size_t number, size_t width) {
  std::string digits = std::to_string(number);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return "SKU-" + digits;
}

// Between lo and hi, cheap prices more common (log-price ∝ u², median about lo × (hi/lo)^¼),
// rounded to a shelf price (3.49, 12.99) where possible.
int64_t ShelfPrice(SimRandom& rng, int64_t lo, int64_t hi) {
  const double u = rng.Uniform();
  const double x = std::exp(std::log(static_cast<double>(lo)) +
                            u * u * std::log(static_cast<double>(hi) / static_cast<double>(lo)));
  const int64_t step = x < 1000 ? 10 : 100;  // 3.49 under 10.00, 24.99 above
  int64_t price = std::llround(x / static_cast<double>(step)) * step - 1;
  if (price < lo || price > hi) price = std::clamp(static_cast<int64_t>(std::llround(x)), lo, hi);
  return price;
}

// Best sellers are replenished daily, the long tail weekly.
int ReplenishDays(size_t rank, size_t count) {
  const double position = static_cast<double>(rank) / static_cast<double>(count);
  if (position < 0.04) return 1;
  if (position < 0.20) return 2;
  if (position < 0.50) return 3;
  return 7;
}

}  // namespace

Catalogue::Catalogue(const CatalogueSpec& spec) {
  const size_t n = static_cast<size_t>(spec.size);
  const size_t width = std::max<size_t>(5, std::to_string(n).size());
  SimRandom rng(StreamKey(Mix64(spec.seed), Stream::kCatalogue, 0));
  // rank_of[i]: the popularity rank of SKU i (a shuffle, so SKU numbers say nothing of sales).
  std::vector<size_t> rank_of(n);
  std::iota(rank_of.begin(), rank_of.end(), 0);
  for (size_t i = n; i > 1; --i) std::swap(rank_of[i - 1], rank_of[rng.Below(i)]);

  std::vector<double> weights(n);
  double total = 0;
  for (size_t i = 0; i < n; ++i) {
    weights[i] = 1.0 / std::pow(static_cast<double>(rank_of[i] + 1), spec.zipf_exponent);
    total += weights[i];
  }
  skus_.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    skus_.push_back(Sku{SkuId(i + 1, width), ShelfPrice(rng, spec.min_price, spec.max_price),
                        weights[i] / total, ReplenishDays(rank_of[i], n)});
  }
  popularity_ = AliasTable(weights);
}

}  // namespace storepulse::common::sim
