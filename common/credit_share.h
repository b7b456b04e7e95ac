// A contributor's share of a shared sale (event.h `Credit`) as it travels and as it is kept: a
// producer sends a number in (0, 1] ("share": 0.5), the event keeps it in millionths (500000), so
// shares add exactly and split a sale exactly (common/kpi/credit_split.h). docs/INGEST.md,
// "Shared credit". Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "common/event_errors.h"
#include "common/status.h"

namespace storepulse::common {

// `share` in millionths, rounded to the nearest. InvalidArgument naming `path` when it is not a
// finite number above 0 and at most 1, or rounds to 0 millionths (below 0.0000005).
StatusOr<int64_t> ShareInMillionths(double share, const FieldPath& path);

// The decimal form of a share in millionths, without trailing zeros: "0.5", "0.333333", "1".
std::string FormatShare(int64_t share_ppm);

}  // namespace storepulse::common
