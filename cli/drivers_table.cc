#include "cli/drivers_table.h"

#include <cstdio>

#include "cli/json_fields.h"
#include "cli/kpi_format.h"
#include "cli/number_format.h"
#include "cli/table.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

// Money in currency units with its sign: "+190.00", "-910.00", "0.00".
std::string SignedMoney(const json& amount) {
  if (!amount.is_number()) return "–";
  const double value = amount.get<double>();
  const std::string text = FormatKpi("net_sales", value < 0 ? json(-value) : amount);
  return (value > 0 ? "+" : value < 0 ? "-" : "") + text;
}

// "+2.0%", "-8.0%", or for conversion "-1.0 pt"; "–" when unknown.
std::string Change(const std::string& driver, const json& change) {
  if (!change.is_number()) return "–";
  const double value = change.get<double>();
  const double points = value * 100;  // a percentage, or percentage points for conversion
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", points < 0 ? -points : points);
  const std::string sign = points >= 0.05 ? "+" : points <= -0.05 ? "-" : "";
  if (driver == "conversion") return sign + text + " pt";
  return sign + FormatPercent(value < 0 ? -value : value);
}

std::string Against(const json& answer) {
  const std::string against = StringField(answer, "against");
  if (against == "target") return "the target";
  if (against == "previous_week") return "last week";
  return "last year";
}

}  // namespace

std::string DriversSentence(const json& answer) {
  const std::string status = StringField(answer, "status");
  if (status == "no_data" || !answer.value("gap", json()).is_number()) return "";
  const json gap = answer["gap"];
  const double value = gap.get<double>();
  if (value == 0) return "level with " + Against(answer);
  std::string text = std::string(value < 0 ? "behind" : "ahead of") + " " + Against(answer) +
                     " by " + FormatKpi("net_sales", value < 0 ? json(-value) : gap);
  std::string parts;
  for (const json& d : answer.value("drivers", json::array())) {
    const std::string driver = StringField(d, "driver");
    if (driver == "returns" && d.value("amount", 0) == 0) continue;  // nothing to say
    parts += (parts.empty() ? "" : ", ") + driver + " " +
             Change(driver, d.value("change", json())) + " (" +
             SignedMoney(d.value("amount", json())) + ")";
  }
  return parts.empty() ? text : text + ": " + parts;
}

common::StatusOr<std::string> RenderDrivers(const json& answer) {
  if (!answer.is_object() || !answer.contains("drivers") || !answer["drivers"].is_array() ||
      !answer.contains("actual")) {
    return common::Internal("the drivers answer has an unexpected shape: " +
                            answer.dump().substr(0, 200));
  }
  std::string text = "Drivers of net sales — " + StringField(answer, "scope") + ", " +
                     StringField(answer, "period") + " from " + StringField(answer, "from") +
                     " to " + StringField(answer, "to") + ", against " + Against(answer) + "\n";
  const std::string sentence = DriversSentence(answer);
  text += "\n" + (sentence.empty() ? "No comparison: " + StringField(answer, "error") : sentence) +
          "\n";
  if (!answer["drivers"].empty()) {
    Table table;
    table.AddColumn("Driver", Align::kLeft);
    table.AddColumn("Now", Align::kRight);
    table.AddColumn("Then", Align::kRight);
    table.AddColumn("Change", Align::kRight);
    table.AddColumn("Part of the gap", Align::kRight);
    const json& now = answer["actual"];
    const json then = answer.value("base", json::object());
    const auto figure = [](const json& side, const std::string& driver) -> std::string {
      if (!side.is_object()) return "–";
      if (driver == "footfall") return FormatKpi("footfall", side.value("footfall", json()));
      if (driver == "transactions")
        return FormatKpi("transactions", side.value("transactions", json()));
      if (driver == "conversion")
        return FormatKpi("conversion_rate", side.value("conversion", json()));
      if (driver == "basket") return FormatKpi("aov", side.value("basket", json()));
      if (driver == "returns")
        return FormatKpi("returns_value", side.value("returns_value", json()));
      return FormatKpi("gross_sales", side.value("gross_sales", json()));
    };
    for (const json& d : answer["drivers"]) {
      const std::string driver = StringField(d, "driver");
      table.AddRow({driver, figure(now, driver), figure(then, driver),
                    Change(driver, d.value("change", json())),
                    SignedMoney(d.value("amount", json()))});
    }
    text += "\n" + table.Render();
  }
  const json& actual = answer["actual"];
  const json base = answer.value("base", json::object());
  const auto field = [](const json& side, const char* name) {
    return side.is_object() ? side.value(name, json()) : json();
  };
  text += "\nNet sales " + FormatKpi("net_sales", field(actual, "net_sales")) + " against " +
          FormatKpi("net_sales", field(base, "net_sales")) + "\n";
  // Availability is a cause beside the drivers, not a part of the gap.
  text += "Availability " + FormatKpi("availability", field(actual, "availability")) + " (then " +
          FormatKpi("availability", field(base, "availability")) + "), out-of-stock SKUs " +
          FormatKpi("out_of_stock_skus", field(actual, "out_of_stock_skus")) + "\n";
  return text;
}

}  // namespace storepulse::cli
