// The `odoo` connector: Odoo Point of Sale orders (`pos.order`) as JSON → sale and return events;
// docs/CONNECTORS.md#odoo has the accepted shapes, the mapping and the rounding.
//
// A request holds one order or an array of them, each either a record read from Odoo's database
// (pos.order read with its lines' fields, or pos.order's export_for_ui) or the POS's own order
// JSON (the `data` of create_from_ui, wrapped or not); each order is one source record. A line's
// discount is a percentage: its value is computed exactly and rounded once (line_amounts.h).
// Lines of negative quantity are refunded goods: they make a return event beside the order's sale.
//
// State: "line:<id>" → the order's reference, for each sale line of an order read from Odoo's
// database — whose line ids are those a refund's refunded_orderline_id names — so that a later
// refund's return names its original order. Immutable; thread-safe.
#pragma once

#include <string_view>

#include "edge/connectors/connector.h"

namespace storepulse::edge {

class OdooConnector final : public Connector {
 public:
  std::string_view name() const override { return "odoo"; }
  common::StatusOr<ConnectorOutput> Map(const ConnectorRequest& request) const override;
};

}  // namespace storepulse::edge
