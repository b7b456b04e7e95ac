#include "common/credit_share.h"

#include <cmath>

#include "common/event_limits.h"

namespace storepulse::common {

StatusOr<int64_t> ShareInMillionths(double share, const FieldPath& path) {
  if (!std::isfinite(share) || share <= 0.0 || share > 1.0) {
    return FieldError(path, "must be a number more than 0 and at most 1", DescribeDouble(share));
  }
  const int64_t ppm = std::llround(share * static_cast<double>(kCreditShareOne));
  if (ppm < 1) {
    return FieldError(path, "must be at least 0.000001 (shares are kept in millionths)",
                      DescribeDouble(share));
  }
  return ppm;
}

std::string FormatShare(int64_t share_ppm) {
  const bool negative = share_ppm < 0;
  const uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(share_ppm) : static_cast<uint64_t>(share_ppm);
  std::string out = (negative ? "-" : "") + std::to_string(magnitude / kCreditShareOne);
  std::string fraction = std::to_string(magnitude % kCreditShareOne);
  if (fraction == "0") return out;
  fraction.insert(0, 6 - fraction.size(), '0');
  while (fraction.back() == '0') fraction.pop_back();
  return out + "." + fraction;
}

}  // namespace storepulse::common
