#include "cli/days_table.h"

#include "cli/json_fields.h"
#include "cli/number_format.h"
#include "cli/table.h"

namespace storepulse::cli {

using nlohmann::json;

common::StatusOr<std::string> RenderDays(const json& answer) {
  if (!answer.contains("days") || !answer["days"].is_array()) {
    return common::InvalidArgument("central's answer has no days");
  }
  std::string text;
  if (answer.contains("summary") && answer["summary"].is_object()) {
    const json& s = answer["summary"];
    text +=
        GroupThousands(IntField(s, "certified").value_or(0)) + " certified, " +
        GroupThousands(IntField(s, "differs").value_or(0)) + " differ, " +
        GroupThousands(IntField(s, "pending").value_or(0) + IntField(s, "reopened").value_or(0)) +
        " being checked, " + GroupThousands(IntField(s, "not_certified").value_or(0)) +
        " not certified\n";
  }
  Table table;
  table.AddColumn("STORE", Align::kLeft);
  table.AddColumn("DAY", Align::kLeft);
  table.AddColumn("STATUS", Align::kLeft);
  table.AddColumn("EVENTS", Align::kRight);
  table.AddColumn("CERTIFIED (UTC)", Align::kLeft);
  table.AddColumn("WHAT DIFFERS", Align::kLeft);
  for (const json& row : answer["days"]) {
    if (!row.is_object()) continue;
    const std::string status = StringField(row, "status");
    const std::optional<int64_t> events = IntField(row, "events");
    std::string certified = StringField(row, "certified");
    if (certified.size() >= 19) certified = certified.substr(0, 10) + " " + certified.substr(11, 8);
    std::string reopened;
    if (IntField(row, "reopened").value_or(0) > 0) {
      reopened = " (reopened " + std::to_string(*IntField(row, "reopened")) + "×)";
    }
    table.AddRow({StringField(row, "store"), StringField(row, "day"),
                  (status == "differs" ? std::string("DIFFERS") : status) + reopened,
                  events ? GroupThousands(*events) : "–", certified.empty() ? "–" : certified,
                  status == "certified" ? "" : StringField(row, "detail")});
  }
  return text + table.Render();
}

bool DaysNeedAttention(const json& answer) {
  return answer.contains("summary") && answer["summary"].is_object() &&
         IntField(answer["summary"], "differs").value_or(0) > 0;
}

}  // namespace storepulse::cli
