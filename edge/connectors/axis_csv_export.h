// AXIS People Counter's CSV interval export as footfall events, one per row. The export's header
// names its columns: `start,end,in,out` (times "YYYY-MM-DD hh:mm:ss", the camera's local time,
// taken in the store's zone when they carry no offset; in and out counted within the interval).
// Columns are found by name, in any order and case; others are ignored. The export does not name
// its counter, so the request does: `?sensor=<serial>`; a `serial` column, when there is one,
// names each row's counter instead.
//
// Each row is one event, id StableEventId("axis", {"csv", counter, interval start}): an export
// posted again is answered `duplicate`. A row that cannot be read is rejected with its line; a
// body without those columns, or without a counter, is refused whole (400). Stateless.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "edge/connectors/connector.h"

namespace storepulse::edge {

common::StatusOr<ConnectorOutput> MapAxisCsvExport(std::string_view body,
                                                   const ConnectorRequest& request,
                                                   const std::set<std::string>& swapped);

}  // namespace storepulse::edge
