// `storepulse report [NAME]`: the reports head office defines in central's reports file, as the
// store's edge holds them. Without NAME, the list (GET /api/v1/reports); with NAME, the report run
// over the store's own figures (GET /api/v1/reports/NAME) as a KPI table of its KPIs. --data-dir
// reads a stopped edge's data directory instead. Exit codes as in command.h; docs/CLI.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/command.h"
#include "common/status.h"

namespace storepulse::cli {

int RunReport(const std::vector<std::string>& args, CommandIo& io);

// The texts of the two answers (exposed for tests). Internal for another shape.
common::StatusOr<std::string> RenderReportList(const nlohmann::json& answer);
common::StatusOr<std::string> RenderReportRun(const nlohmann::json& answer);

}  // namespace storepulse::cli
