#include "common/kpi/labour_split.h"

#include <algorithm>

#include "common/kpi/measures.h"

namespace storepulse::common {

namespace {

// floor(total · part / whole) without overflow: total ≤ 8.64e8 and part ≤ 8.64e7 ms, so the
// product fits in 128 bits (and in fact in 64, but with no margin worth relying on).
int64_t ProRata(int64_t total, int64_t part, int64_t whole) {
  return static_cast<int64_t>(static_cast<__int128>(total) * part / whole);
}

}  // namespace

std::vector<LabourShare> SplitLabour(int64_t start_ms, int64_t period_s, int64_t staff_seconds) {
  const int64_t length = period_s * 1000;
  std::vector<LabourShare> shares;
  int64_t bucket = BucketOf(start_ms);
  int64_t from = 0;  // ms from the interval's start
  while (from < length) {
    const int64_t to = std::min(length, (bucket + 1) * kBucketMs - start_ms);
    const int64_t share = ProRata(staff_seconds, to, length) - ProRata(staff_seconds, from, length);
    if (share != 0) shares.push_back({bucket, share});
    from = to;
    ++bucket;
  }
  return shares;
}

}  // namespace storepulse::common
