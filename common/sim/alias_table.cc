#include "common/sim/alias_table.h"

namespace storepulse::common::sim {

AliasTable::AliasTable(const std::vector<double>& weights)
    : threshold_(weights.size(), 1.0), alias_(weights.size(), 0) {
  const size_t n = weights.size();
  double total = 0;
  for (const double w : weights) total += w;
  std::vector<double> scaled(n);
  std::vector<uint32_t> small;
  std::vector<uint32_t> large;
  for (size_t i = 0; i < n; ++i) {
    scaled[i] = weights[i] * static_cast<double>(n) / total;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const uint32_t s = small.back();
    small.pop_back();
    const uint32_t l = large.back();
    threshold_[s] = scaled[s];
    alias_[s] = l;
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // What is left holds probability 1 up to rounding.
  for (const uint32_t i : small) threshold_[i] = 1.0;
  for (const uint32_t i : large) threshold_[i] = 1.0;
}

}  // namespace storepulse::common::sim
