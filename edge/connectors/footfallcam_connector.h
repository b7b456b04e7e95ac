// The `footfallcam` connector: FootfallCam-style people counter exports, CSV with one row per
// counter and interval (docs/CONNECTORS.md#footfallcam):
//
//   ValueDateTime,ValueIn,ValueOut,CounterId
//   2026-12-04 10:00:00,12,9,1
//
// Each row is one footfall event: sensor CounterId, ts the interval's start (a local time in the
// store's zone unless it carries an offset), in/out from ValueIn/ValueOut — swapped for a counter
// named in --swap-direction — and id StableEventId("footfallcam", {counter, start}), so a
// re-exported interval is a duplicate. Columns are found by name in any order, case-insensitively;
// others are ignored; a missing one refuses the request. The interval's length: `?period_s=N` when
// the request gives it, else the smallest gap between two rows of the same counter in the request
// (an export's granularity; a missing interval only makes one gap longer), else 900 s — the
// 15 minutes FootfallCam exports by default. A bad row is rejected with its line; the others are
// mapped. Immutable; thread-safe.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "edge/connectors/connector.h"

namespace storepulse::edge {

class FootfallCamConnector final : public Connector {
 public:
  // The interval length of a counter with one row in the request, and no ?period_s.
  static constexpr int64_t kDefaultPeriodS = 900;

  explicit FootfallCamConnector(std::set<std::string> swapped_sensors)
      : swapped_sensors_(std::move(swapped_sensors)) {}

  std::string_view name() const override { return "footfallcam"; }
  common::StatusOr<ConnectorOutput> Map(const ConnectorRequest& request) const override;

 private:
  std::set<std::string> swapped_sensors_;  // counter ids mounted the other way round
};

}  // namespace storepulse::edge
