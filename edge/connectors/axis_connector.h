// The `axis` connector: AXIS People Counter (docs/CONNECTORS.md#axis). One endpoint takes both
// of what the camera application gives out, told apart by the body's first character (after a
// UTF-8 byte order mark and white space), because cameras and scripts send whatever
// Content-Type they like, while the two bodies cannot be mistaken for each other:
//
//   '{' or '[': live counts — one live-sum.json reading or an array of them, cumulative totals;
//               differenced against the counter's last kept reading (axis_live_counts.h).
//   otherwise:  the CSV interval export (start,end,in,out per interval): one footfall event per
//               row, stateless (axis_csv_export.h).
//
// Both exchange in and out for a counter listed in --swap-direction. Immutable; thread-safe.
#pragma once

#include <set>
#include <string>

#include "edge/connectors/connector.h"

namespace storepulse::edge {

class AxisConnector final : public Connector {
 public:
  explicit AxisConnector(std::set<std::string> swapped_sensors)
      : swapped_(std::move(swapped_sensors)) {}

  std::string_view name() const override { return "axis"; }
  common::StatusOr<ConnectorOutput> Map(const ConnectorRequest& request) const override;

 private:
  std::set<std::string> swapped_;
};

}  // namespace storepulse::edge
