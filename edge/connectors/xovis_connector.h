// The `xovis` connector: a Xovis people counter's logics data push (JSON, format version 5) —
// per counting line ("logic"), one record per interval with its forward and backward counts — as
// footfall events (docs/CONNECTORS.md#xovis).
//
// A sensor with several lines counts at several doors, so the footfall `sensor` is the line:
// "<serial number>/<logic id>" (e.g. "80:1F:12:A0:01:17/1"), whatever the push includes. Each
// (line, interval) is one event, id StableEventId("xovis", {serial, logic id, interval start}), so
// a push sent again is answered `duplicate`. Forward is `in`, backward `out`, exchanged for a line
// listed in --swap-direction, or for every line of a serial number listed there.
//
// Stateless; immutable; thread-safe.
#pragma once

#include <set>
#include <string>

#include "edge/connectors/connector.h"

namespace storepulse::edge {

class XovisConnector final : public Connector {
 public:
  explicit XovisConnector(std::set<std::string> swapped_sensors)
      : swapped_(std::move(swapped_sensors)) {}

  std::string_view name() const override { return "xovis"; }
  common::StatusOr<ConnectorOutput> Map(const ConnectorRequest& request) const override;

 private:
  std::set<std::string> swapped_;
};

}  // namespace storepulse::edge
