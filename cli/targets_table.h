// The human view of central's targets (GET /api/v1/targets, see central/target_report.h): one
// line per target with its scope, KPI, current period, actual, target, gap, gap %, what the
// target asks for by now and the status (on track, behind, ahead, achieved, missed), then why a
// target could not be judged. An edge's answer (it names its store) adds the version and age of
// the targets held and a line of pace per net-sales target. Values read as in `storepulse kpi`
// (money in currency units, rates as percentages). Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace storepulse::cli {

// Every line ends in "\n". Internal when `targets` does not have the targets answer's shape.
common::StatusOr<std::string> RenderTargets(const nlohmann::json& targets);

// "on_track" → "on track", "behind" → "BEHIND", "missed" → "MISSED"; others as they are.
std::string TargetStatusText(const std::string& status);

}  // namespace storepulse::cli
