// The edge's connectors by name (POST /api/v1/connectors/<name>), built once from its settings.
// Immutable after construction; thread-safe.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "edge/connectors/connector.h"

namespace storepulse::edge {

// What connectors are configured with (edge options of the same names, docs/CONNECTORS.md).
struct ConnectorSettings {
  std::string shopify_secret;              // --shopify-secret-file's content; empty: no Shopify
  std::set<std::string> shopify_locations; // --shopify-location: location ids and "web"; empty: all
  std::vector<std::string> csv_mappings;   // --csv-mapping files
  std::set<std::string> swapped_sensors;   // --swap-direction: counters mounted the other way
};

class ConnectorRegistry {
 public:
  // Every connector, configured; an error names the setting that is wrong (a CSV mapping file
  // that cannot be read, say).
  static common::StatusOr<std::unique_ptr<ConnectorRegistry>> Create(
      const ConnectorSettings& settings);

  const Connector* Find(std::string_view name) const;
  std::vector<std::string> names() const;

  void Add(std::unique_ptr<Connector> connector);

 private:
  std::map<std::string, std::unique_ptr<Connector>, std::less<>> connectors_;
};

}  // namespace storepulse::edge
