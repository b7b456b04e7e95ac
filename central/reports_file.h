// The reports file (`--reports-file`): the named views head office defines once for every store's
// page, API and CLI (common/reference/report_definitions.h), published to every edge as the
// `reports` document. CSV with the header `name,audience,title,kpis,by,period,scope`, one report a
// row (docs/OPERATIONS.md):
//   name      1-64 of a-z 0-9 _ -, unique: `storepulse report NAME`, GET /api/v1/reports/NAME
//   audience  manager | advisor | ops, several separated by '|' (manager|advisor)
//   title     for people, 1-120 characters
//   kpis      KPI names of the KPI JSON separated by '|' (net_sales|aov|conversion_rate)
//   by        total | day | hour | channel | employee | sku (empty: total)
//   period    today | yesterday | this_week | last_week | this_month | last_month | last_7_days |
//             last_28_days, in each store's local calendar
//   scope     store | region | network (empty: store); at an edge a report covers the store itself
// Cells are trimmed; blank lines and lines whose first cell starts with '#' are skipped. Central
// keeps the file it has when a re-read (SIGHUP) finds it broken. Immutable once loaded.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/reference/report_definitions.h"
#include "common/status.h"

namespace storepulse::central {

// Every row is checked; InvalidArgument lists every bad line ("line 4: unknown KPI …; line 7: …").
common::StatusOr<common::ReportList> ParseReports(std::string_view text);

// An empty `path` is no reports. NotFound when the file cannot be read; ParseReports' errors
// prefixed with the path.
common::StatusOr<std::shared_ptr<const common::ReportList>> LoadReports(const std::string& path);

}  // namespace storepulse::central
