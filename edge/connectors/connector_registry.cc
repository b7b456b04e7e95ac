#include "edge/connectors/connector_registry.h"

#include "edge/connectors/axis_connector.h"
#include "edge/connectors/csv_connector.h"
#include "edge/connectors/footfallcam_connector.h"
#include "edge/connectors/odoo_connector.h"
#include "edge/connectors/poslog_connector.h"
#include "edge/connectors/shopify_connector.h"
#include "edge/connectors/xovis_connector.h"

namespace storepulse::edge {

common::StatusOr<std::unique_ptr<ConnectorRegistry>> ConnectorRegistry::Create(
    const ConnectorSettings& settings) {
  auto registry = std::make_unique<ConnectorRegistry>();
  // One line per connector (each in its own file of edge/connectors/).
  registry->Add(std::make_unique<PoslogConnector>());
  registry->Add(
      std::make_unique<ShopifyConnector>(settings.shopify_secret, settings.shopify_locations));
  registry->Add(std::make_unique<OdooConnector>());
  registry->Add(std::make_unique<XovisConnector>(settings.swapped_sensors));
  registry->Add(std::make_unique<AxisConnector>(settings.swapped_sensors));
  registry->Add(std::make_unique<FootfallCamConnector>(settings.swapped_sensors));
  ASSIGN_OR_RETURN(auto csv, CsvConnector::Create(settings.csv_mappings));
  registry->Add(std::move(csv));
  return registry;
}

const Connector* ConnectorRegistry::Find(std::string_view name) const {
  auto it = connectors_.find(name);
  return it == connectors_.end() ? nullptr : it->second.get();
}

std::vector<std::string> ConnectorRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, connector] : connectors_) out.push_back(name);
  return out;
}

void ConnectorRegistry::Add(std::unique_ptr<Connector> connector) {
  std::string name(connector->name());
  connectors_[name] = std::move(connector);
}

}  // namespace storepulse::edge
