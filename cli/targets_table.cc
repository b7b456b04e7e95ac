#include "cli/targets_table.h"

#include "cli/json_fields.h"
#include "cli/kpi_format.h"
#include "cli/number_format.h"
#include "cli/stock_command.h"
#include "cli/table.h"
#include "common/time_zone.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

// "week 2026-11-16 to 2026-11-22", "day 2026-11-22": the period with its last day included.
std::string PeriodText(const json& t) {
  const std::string period = StringField(t, "period");
  const std::string from = StringField(t, "from");
  common::StatusOr<int64_t> end = common::TimeZone::ParseLocalDate(StringField(t, "to"));
  if (from.empty() || !end.ok()) return period;
  const std::string last = common::TimeZone::FormatLocalDate(*end - 1);
  return period + " " + from + (last == from ? "" : " to " + last);
}

std::string Percent(const json& value) {
  return value.is_number() ? FormatPercent(value.get<double>()) : "–";
}

// "  day: 25.0% of a normal day done (history, 7 days): expected by now 25.00, projected close
// 80.00 — BEHIND"
std::string PaceLine(const json& t, const json& pace) {
  const std::string kpi = StringField(t, "kpi");
  const std::string basis = StringField(pace, "basis");
  std::string line =
      "  " + StringField(t, "period") + ": " + Percent(pace.value("share", json())) +
      " of a normal " + StringField(t, "period") + " done (" +
      (basis == "history" ? "history, " + std::to_string(pace.value("history_days", 0)) + " days"
       : basis == "opening_hours" ? "flat over the opening hours, no history yet"
                                  : "closed today") +
      "): expected by now " + FormatKpi(kpi, pace.value("expected_by_now", json())) +
      ", projected close " + FormatKpi(kpi, pace.value("projected_close", json()));
  return line + " — " + (pace.value("on_track", false) ? "on track" : "BEHIND") + "\n";
}

Table TargetsTable() {
  Table table;
  table.AddColumn("Scope", Align::kLeft);
  table.AddColumn("KPI", Align::kLeft);
  table.AddColumn("Period", Align::kLeft);
  table.AddColumn("Elapsed", Align::kRight);
  table.AddColumn("Actual", Align::kRight);
  table.AddColumn("Target", Align::kRight);
  table.AddColumn("Gap", Align::kRight);
  table.AddColumn("Gap %", Align::kRight);
  table.AddColumn("Expected now", Align::kRight);
  table.AddColumn("Status", Align::kLeft);
  return table;
}

}  // namespace

std::string TargetStatusText(const std::string& status) {
  if (status == "on_track") return "on track";
  if (status == "no_data") return "no data";
  if (status == "behind" || status == "missed") {
    std::string loud = status;
    for (char& c : loud) c = static_cast<char>(c - 'a' + 'A');
    return loud;
  }
  return status;
}

common::StatusOr<std::string> RenderTargets(const json& answer) {
  if (!answer.is_object() || !answer.contains("targets") || !answer["targets"].is_array()) {
    return common::Internal("central's targets answer has an unexpected shape: " +
                            answer.dump().substr(0, 200));
  }
  const json& targets = answer["targets"];
  const bool edge = answer.contains("store");  // an edge's answer: its store, the version held
  std::string text = "Targets — evaluated " + StringField(answer, "evaluated_at") + "\n";
  if (edge) {
    text = "Targets of store " + StringField(answer, "store") + " — evaluated " +
           StringField(answer, "evaluated_at") + "\n";
    if (answer.value("version", json()).is_string()) {
      text += "As central last sent them: version " + StringField(answer, "version") +
              ", received " + StringField(answer, "received_at") + " (" +
              FormatAge(answer.value("age_s", json())) + " ago)\n";
    }
  }
  if (targets.empty() && edge) {
    return text +
           "\nNo target received from central yet (central reads them from its "
           "--targets-file).\n";
  }
  if (targets.empty()) {
    return text + "\nNo target set: central reads them from its --targets-file "
                  "(docs/OPERATIONS.md).\n";
  }
  Table table = TargetsTable();
  std::string errors, pace;
  for (const json& t : targets) {
    const std::string kpi = StringField(t, "kpi");
    const auto figure = [&](const char* field) { return FormatKpi(kpi, t.value(field, json())); };
    table.AddRow({StringField(t, "scope"), KpiLabel(kpi), PeriodText(t),
                  Percent(t.value("elapsed", json())), figure("actual"), figure("target"),
                  figure("gap"), Percent(t.value("gap_pct", json())), figure("expected"),
                  TargetStatusText(StringField(t, "status"))});
    if (t.contains("pace") && t["pace"].is_object()) pace += PaceLine(t, t["pace"]);
    if (!StringField(t, "error").empty()) {
      errors += "  " + StringField(t, "scope") + " " + kpi + ": " + StringField(t, "error") + "\n";
    }
  }
  text += "\n" + table.Render();
  if (!pace.empty()) text += "\nPace (the store's own days):\n" + pace;
  if (!errors.empty()) text += "\nNot judged:\n" + errors;
  return text;
}

}  // namespace storepulse::cli
