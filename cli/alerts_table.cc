#include "cli/alerts_table.h"

#include "cli/fleet_table.h"
#include "cli/json_fields.h"
#include "cli/number_format.h"
#include "cli/table.h"
#include "common/source_ref.h"
#include "common/time_util.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

// "cc_warehouse_share" → "cc warehouse share".
std::string KindText(std::string kind) {
  for (char& c : kind) c = c == '_' ? ' ' : c;
  return kind;
}

// The alert's kind, and for a source_silent alert the till or counter: "source silent: door
// counter 2".
std::string AlertText(const json& alert) {
  std::string text = KindText(StringField(alert, "kind"));
  if (!alert.contains("source") || !alert["source"].is_object()) return text;
  const std::string kind = StringField(alert["source"], "kind");
  const std::string id = StringField(alert["source"], "id");
  std::optional<common::SourceKind> known = common::SourceKindFromName(kind);
  return text + ": " + (known ? common::SourceLabel({*known, id}) : kind + " " + id);
}

// How long before `evaluated_at` the instant `since` was: "15m 3s"; "" when either is unreadable.
std::string Age(const std::string& since, const std::string& evaluated_at) {
  common::StatusOr<int64_t> from = common::ParseRfc3339(since);
  common::StatusOr<int64_t> to = common::ParseRfc3339(evaluated_at);
  if (!from.ok() || !to.ok()) return "";
  return FormatDuration((*to - *from) / 1000);
}

// "10:15:03Z", without the date when it is evaluated_at's date.
std::string TimeOf(const std::string& instant, const std::string& evaluated_at) {
  if (instant.size() < 19) return instant;
  const bool same_day = evaluated_at.compare(0, 10, instant, 0, 10) == 0;
  return (same_day ? "" : instant.substr(0, 10) + " ") + instant.substr(11, 8) + "Z";
}

std::string Summary(const json& answer) {
  const json& summary = answer["summary"];
  const int64_t raised = summary.value("raised", int64_t{0});
  const std::string evaluated = StringField(answer, "evaluated_at");
  std::string line = raised == 0 ? "No alert raised"
                                 : GroupThousands(raised) + (raised == 1 ? " alert" : " alerts") +
                                       " raised (" +
                                       GroupThousands(summary.value("critical", int64_t{0})) +
                                       " critical, " +
                                       GroupThousands(summary.value("warning", int64_t{0})) +
                                       " warning)";
  return line + " — " + (evaluated.empty() ? "not evaluated yet" : "evaluated " + evaluated) +
         "\n";
}

// "acked by alice, silenced to 14:00:00Z": what the on-call team added, "" when nothing.
std::string Notes(const json& alert, const std::string& evaluated_at) {
  std::string notes;
  if (alert.contains("acknowledged") && alert["acknowledged"].is_object()) {
    notes = "acked by " + StringField(alert["acknowledged"], "by");
  }
  if (alert.contains("silenced_until") && alert["silenced_until"].is_string()) {
    notes += (notes.empty() ? "" : ", ") + std::string("silenced to ") +
             TimeOf(alert["silenced_until"].get<std::string>(), evaluated_at);
  }
  return notes;
}

std::string RaisedTable(const json& alerts, const std::string& evaluated_at) {
  Table table;
  table.AddColumn("Severity", Align::kLeft);
  table.AddColumn("ID", Align::kLeft);
  table.AddColumn("Store", Align::kLeft);
  table.AddColumn("Alert", Align::kLeft);
  table.AddColumn("Value", Align::kRight);
  table.AddColumn("Threshold", Align::kRight);
  table.AddColumn("Raised for", Align::kRight);
  table.AddColumn("Since (UTC)", Align::kLeft);
  table.AddColumn("Acked / silenced", Align::kLeft);
  for (const json& a : alerts) {
    const std::string severity = StringField(a, "severity");
    const std::string unit = StringField(a, "unit");
    table.AddRow({severity == "critical" ? "CRITICAL" : severity, StringField(a, "id"),
                  StringField(a, "store"), AlertText(a),
                  FormatAlertValue(a.value("value", json()), unit),
                  FormatAlertValue(a.value("threshold", json()), unit),
                  Age(StringField(a, "since"), evaluated_at),
                  TimeOf(StringField(a, "since"), evaluated_at), Notes(a, evaluated_at)});
  }
  std::string text = "\n" + table.Render() + "\nWhat to do:\n";
  for (const json& a : alerts) text += "  " + StringField(a, "message") + "\n";
  return text;
}

std::string ClearedLines(const json& cleared, const std::string& evaluated_at) {
  std::string text = "\nCleared in the last hour:\n";
  for (const json& c : cleared) {
    text += "  " + StringField(c, "store") + " " + AlertText(c) + ": raised " +
            TimeOf(StringField(c, "since"), evaluated_at) + ", cleared " +
            TimeOf(StringField(c, "cleared_at"), evaluated_at) + "\n";
  }
  return text;
}

}  // namespace

std::string FormatAlertValue(const json& value, const std::string& unit) {
  if (!value.is_number()) return "–";
  if (unit == "fraction") return FormatPercent(value.get<double>());
  if (unit == "seconds") return FormatDuration(static_cast<int64_t>(value.get<double>()));
  if (unit == "bytes") return FormatBytes(static_cast<int64_t>(value.get<double>()));
  return FormatDecimal(value.get<double>(), value.is_number_integer() ? 0 : 2);
}

common::StatusOr<std::string> RenderAlerts(const json& answer) {
  if (!answer.is_object() || !answer.contains("alerts") || !answer["alerts"].is_array() ||
      !answer.contains("summary") || !answer["summary"].is_object()) {
    return common::Internal("central's alerts answer has an unexpected shape: " +
                            answer.dump().substr(0, 200));
  }
  const std::string evaluated_at = StringField(answer, "evaluated_at");
  std::string text = Summary(answer);
  if (!answer["alerts"].empty()) text += RaisedTable(answer["alerts"], evaluated_at);
  const json cleared = answer.value("recently_cleared", json::array());
  if (cleared.is_array() && !cleared.empty()) text += ClearedLines(cleared, evaluated_at);
  for (const json& error : answer.value("errors", json::array())) {
    if (error.is_string()) text += "\nNote: " + error.get<std::string>() + "\n";
  }
  return text;
}

}  // namespace storepulse::cli
