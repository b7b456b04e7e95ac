#include "edge/connectors/axis_connector.h"

#include <nlohmann/json.hpp>

#include "edge/connectors/axis_csv_export.h"
#include "edge/connectors/axis_live_counts.h"

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
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return common::InvalidArgument("the body starts as JSON live counts but is not JSON");
  }
  return MapAxisLiveCounts(parsed, request, swapped_);
}

}  // namespace storepulse::edge
