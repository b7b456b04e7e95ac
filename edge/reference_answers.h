// The edge's answers built from the reference documents it holds (edge/reference_store.h), read
// on a read connection: GET /api/v1/context (the network context), GET /api/v1/reports (the
// reports head office defines, for one audience) and GET /api/v1/reports/NAME (one report run
// over the store's own figures). They answer from what edge.db holds, so they keep working while
// central is away; each says the document's `version`, when the edge received it (`received_at`)
// and its age in seconds (`age_s`). Stateless; thread-safe with a connection per thread.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/reference/report_definitions.h"
#include "common/status.h"

namespace SQLite {
class Database;
}

namespace storepulse::edge {

// The context's rows as one object (common/reference/network_context.h: ContextJson) with
// "version", "received_at" and "age_s". NotFound when central has sent none yet; Internal when the
// held document does not read as a context.
common::StatusOr<nlohmann::json> ContextAnswer(SQLite::Database& db, int64_t now_ms);

// {"version":…|null, "received_at":…|null, "age_s":…|null, "audience":"manager"|null,
//  "reports":[<ReportJson>…]}: the reports for `audience` (every report when none), by name.
// No reports document yet: an empty list with null version.
common::StatusOr<nlohmann::json> ReportsAnswer(SQLite::Database& db,
                                               std::optional<common::ReportAudience> audience,
                                               int64_t now_ms);

// Report `name` run over the store's own figures (common/reference/report_run.h), its period in
// the store's local calendar, with "version", "received_at" and "age_s" of the reports document.
// NotFound for a name the held document lacks.
common::StatusOr<nlohmann::json> RunReport(SQLite::Database& db, const std::string& name,
                                           int64_t now_ms);

}  // namespace storepulse::edge
