// The `csv` connector: any CSV export the other connectors do not know, mapped to events by a
// mapping file (csv_mapping.h, docs/CONNECTORS.md#csv). Each --csv-mapping file is one mapping,
// named after the file without its extension; a request names its mapping with ?mapping=NAME,
// which may be left out when only one is configured. The body is read with the mapping's
// delimiter; with a header, the mapped columns are found by name (trimmed, case-insensitively)
// and a missing one refuses the request; the rows are then mapped by MapCsvRows. Immutable after
// Create; thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "edge/connectors/connector.h"
#include "edge/connectors/csv_mapping.h"

namespace storepulse::edge {

class CsvConnector final : public Connector {
 public:
  // Reads and checks every mapping file: the first error names the file and the line, so a bad
  // mapping stops the edge at start (and `storepulse-edge --check-config` shows it). No files is
  // fine: every request is then refused, saying to set --csv-mapping.
  static common::StatusOr<std::unique_ptr<CsvConnector>> Create(
      const std::vector<std::string>& mapping_files);
  // InvalidArgument when two mappings share a name.
  static common::StatusOr<std::unique_ptr<CsvConnector>> FromMappings(
      std::vector<CsvMapping> mappings);

  std::string_view name() const override { return "csv"; }
  common::StatusOr<ConnectorOutput> Map(const ConnectorRequest& request) const override;

 private:
  CsvConnector() = default;
  common::StatusOr<const CsvMapping*> Choose(const ConnectorRequest& request) const;

  std::map<std::string, CsvMapping> mappings_;  // by name
};

}  // namespace storepulse::edge
