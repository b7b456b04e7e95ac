#include "edge/connectors/csv_connector.h"

#include <optional>

#include "common/utf8.h"
#include "edge/connectors/csv_row_mapper.h"
#include "edge/connectors/csv_table.h"

namespace storepulse::edge {
namespace {

// Where each mapped field is in a row: the header's position of its column, or its number.
common::StatusOr<std::vector<std::optional<size_t>>> Positions(const CsvMapping& mapping,
                                                               const CsvTable& table) {
  std::vector<std::string> names;
  for (const CsvFieldMapping& field : mapping.fields) {
    if (field.column) names.push_back(*field.column);
  }
  auto found = FindColumns(table, names);
  if (!found.ok()) {
    return common::InvalidArgument(found.status().message() + "; mapping " + mapping.name +
                                   " reads it");
  }
  std::vector<std::optional<size_t>> positions;
  size_t next = 0;
  for (const CsvFieldMapping& field : mapping.fields) {
    if (field.column) {
      positions.push_back((*found)[next++]);
    } else if (field.column_number > 0) {
      positions.push_back(field.column_number - 1);
    } else {
      positions.push_back(std::nullopt);
    }
  }
  return positions;
}

}  // namespace

common::StatusOr<std::unique_ptr<CsvConnector>> CsvConnector::Create(
    const std::vector<std::string>& mapping_files) {
  std::vector<CsvMapping> mappings;
  for (const std::string& file : mapping_files) {
    ASSIGN_OR_RETURN(CsvMapping mapping, LoadCsvMapping(file));
    mappings.push_back(std::move(mapping));
  }
  return FromMappings(std::move(mappings));
}

common::StatusOr<std::unique_ptr<CsvConnector>> CsvConnector::FromMappings(
    std::vector<CsvMapping> mappings) {
  std::unique_ptr<CsvConnector> connector(new CsvConnector());
  for (CsvMapping& mapping : mappings) {
    auto [it, fresh] = connector->mappings_.emplace(mapping.name, mapping);
    if (!fresh) {
      return common::InvalidArgument("two CSV mappings are named " + mapping.name + " (" +
                                     it->second.file + " and " + mapping.file +
                                     "): a mapping's name is its file's name");
    }
  }
  return connector;
}

common::StatusOr<const CsvMapping*> CsvConnector::Choose(const ConnectorRequest& request) const {
  if (mappings_.empty()) {
    return common::InvalidArgument(
        "no CSV mapping is configured: start the edge with --csv-mapping FILE "
        "(docs/CONNECTORS.md#csv)");
  }
  std::string names;
  for (const auto& [name, mapping] : mappings_) names += (names.empty() ? "" : ", ") + name;
  auto param = request.params.find("mapping");
  if (param == request.params.end()) {
    if (mappings_.size() == 1) return &mappings_.begin()->second;
    return common::InvalidArgument("say which CSV mapping: ?mapping=NAME (configured: " + names +
                                   ")");
  }
  auto it = mappings_.find(param->second);
  if (it == mappings_.end()) {
    return common::InvalidArgument("no CSV mapping named " +
                                   common::QuoteForMessage(param->second) +
                                   " (configured: " + names + ")");
  }
  return &it->second;
}

common::StatusOr<ConnectorOutput> CsvConnector::Map(const ConnectorRequest& request) const {
  ASSIGN_OR_RETURN(const CsvMapping* mapping, Choose(request));
  ASSIGN_OR_RETURN(CsvTable table, ReadCsvTable(request.body, mapping->delimiter, mapping->header));
  ASSIGN_OR_RETURN(auto positions, Positions(*mapping, table));
  return MapCsvRows(*mapping, positions, table.header.size(), table.rows, request);
}

}  // namespace storepulse::edge
