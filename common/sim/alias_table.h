// A weighted sampler over {0, …, n−1} in constant time per draw (Walker's alias method, with
// Vose's stable construction). The simulator draws SKUs by popularity with it. Immutable after
// construction; thread-safe to share.
#pragma once

#include <cstdint>
#include <vector>

#include "common/sim/sim_random.h"

namespace storepulse::common::sim {

class AliasTable {
 public:
  AliasTable() = default;
  // REQUIRES: `weights` is not empty, no weight is negative, and their sum is positive.
  explicit AliasTable(const std::vector<double>& weights);

  size_t Draw(SimRandom& rng) const {
    const size_t column = static_cast<size_t>(rng.Below(threshold_.size()));
    return rng.Uniform() < threshold_[column] ? column : alias_[column];
  }
  size_t size() const { return threshold_.size(); }

 private:
  std::vector<double> threshold_;  // probability of keeping the column's own index
  std::vector<uint32_t> alias_;    // the other index of each column
};

}  // namespace storepulse::common::sim
