#include "edge/connectors/axis_connector.h"

#include <nlohmann/json.hpp>

#include "edge/connectors/axis_csv_export.h"
#include "edge/connectors/axis_live_counts.h"
#include "edge/connectors/json_values.h"

namespace storepulse::edge {

common::StatusOr<ConnectorOutput> AxisConnector::Map(const ConnectorRequest& request) const {
  std::string_view body = request.body;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  const size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return common::InvalidArgument(
        "the body is empty: send live counts (JSON) or the CSV interval export");
  }
  if (body[first] != '{' && body[first] != '[') return MapAxisCsvExport(body, request, swapped_);
  auto parsed = ParseSourceJson(body);
  if (!parsed.ok()) {
    return common::InvalidArgument("the body starts as JSON live counts but is " +
                                   parsed.status().message());
  }
  return MapAxisLiveCounts(*parsed, request, swapped_);
}

}  // namespace storepulse::edge
