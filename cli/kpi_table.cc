#include "cli/kpi_table.h"

#include <algorithm>

#include "cli/json_fields.h"
#include "cli/kpi_format.h"
#include "cli/number_format.h"
#include "cli/table.h"
#include "common/kpi/kpi_catalogue.h"
#include "common/time_zone.h"

namespace storepulse::cli {
namespace {

using common::Kpi;
using nlohmann::json;

std::string ScopeTitle(const json& scope) {
  if (!scope.is_string()) return "KPIs";
  const std::string text = scope.get<std::string>();
  const size_t colon = text.find(':');
  std::string kind = colon == std::string::npos ? text : text.substr(0, colon);
  if (!kind.empty() && kind[0] >= 'a' && kind[0] <= 'z') kind[0] = kind[0] - 'a' + 'A';
  return colon == std::string::npos ? kind : kind + " " + text.substr(colon + 1);
}

std::string PeriodText(const json& from, const json& to) {
  const std::string f = from.is_string() ? from.get<std::string>() : "";
  const std::string t = to.is_string() ? to.get<std::string>() : "";
  auto from_day = common::TimeZone::ParseLocalDate(f);
  auto to_day = common::TimeZone::ParseLocalDate(t);
  if (f.size() == 10 && t.size() == 10 && from_day.ok() && to_day.ok()) {
    if (*to_day == *from_day + 1) return f;
    return f + " to " + common::TimeZone::FormatLocalDate(*to_day - 1);
  }
  if (f.empty() || t.empty()) return f + t;
  return f + " to " + t;
}

// The KPI names of `row` in display order: the catalogue's first, then any others by name.
std::vector<std::string> RowKpis(const json& row) {
  std::vector<std::string> names;
  for (const common::KpiInfo& info : common::kKpiCatalogue) {
    if (row.contains(info.name)) names.emplace_back(info.name);
  }
  for (const auto& [name, value] : row.items()) {
    if (name != "key" && name != "approximate" && name != "completeness" && name != "name" &&
        name != "category" && name != "brand" &&
        std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  }
  return names;
}

common::Status CheckColumns(const std::vector<std::string>& columns, const json& rows) {
  for (const std::string& column : columns) {
    const bool in_rows = std::any_of(rows.begin(), rows.end(),
                                     [&](const json& row) { return row.contains(column); });
    const bool known = common::FindKpi(column).has_value();
    if (!in_rows && !known) {
      std::string list;
      for (const common::KpiInfo& info : common::kKpiCatalogue) {
        list += (list.empty() ? "" : ", ") + std::string(info.name);
      }
      return common::InvalidArgument("--columns: no KPI named \"" + column + "\" (KPIs: " + list +
                                     ")");
    }
  }
  return common::OkStatus();
}

std::string KeyHeader(const json& by) {
  const std::string text = by.is_string() ? by.get<std::string>() : "";
  if (text == "sku") return "SKU";
  if (text == "category") return "Category";
  if (text.empty() || text == "total") return "Key";
  return KpiLabel(text);
}

// "2026-11-22T10:00:00+01:00" → "2026-11-22 10:00 +01:00"; other keys unchanged.
std::string KeyText(const json& key) {
  std::string text = key.is_string() ? key.get<std::string>() : key.dump();
  if (text.size() == 25 && text[10] == 'T' && text.substr(16, 3) == ":00") {
    return text.substr(0, 10) + " " + text.substr(11, 5) + " " + text.substr(19);
  }
  return text;
}

// Whether the row is a day on which a known till or counter reported nothing (docs/KPIS.md,
// "Completeness").
bool Incomplete(const json& row) {
  const json* c = row.contains("completeness") ? &row["completeness"] : nullptr;
  return c != nullptr && c->is_object() && c->contains("complete") && (*c)["complete"] == false;
}

// A row's figure as shown: "≈" before an estimate (the row's "approximate" list, docs/KPIS.md);
// "*" after the conversion of an incomplete day.
std::string Cell(const json& row, const std::string& name) {
  static const json kMissing;
  std::string text = FormatKpi(name, row.contains(name) ? row[name] : kMissing);
  const json* estimated = row.contains("approximate") ? &row["approximate"] : nullptr;
  if (estimated != nullptr && estimated->is_array() && text != "–" &&
      std::find(estimated->begin(), estimated->end(), name) != estimated->end()) {
    text = "≈" + text;
  }
  if (name == "conversion_rate" && Incomplete(row)) text += "*";
  return text;
}

// Under the table, what the "*" means and who was missing each incomplete day:
//   * not every known till and counter reported that day: …
//     2026-11-22: door counter 2
std::string CompletenessNote(const json& answer, const std::vector<std::string>& columns) {
  if (std::find(columns.begin(), columns.end(), "conversion_rate") == columns.end()) return "";
  std::string lines;
  for (const json& row : answer["rows"]) {
    if (!Incomplete(row)) continue;
    std::string day = StringField(row, "key");
    if (day == "total") day = StringField(answer, "from");
    std::string missing;
    for (const json& source : row["completeness"].value("missing", json::array())) {
      missing += (missing.empty() ? "" : ", ") + StringField(source, "label");
    }
    lines += "  " + day + ": " + missing + "\n";
  }
  if (lines.empty()) return "";
  return "\n* not every known till and door counter reported that day, so conversion and "
         "footfall miss what they count:\n" +
         lines;
}

std::string TotalTable(const json& answer, const std::vector<std::string>& chosen) {
  const json& row = answer["rows"][0];
  const std::vector<std::string> columns = chosen.empty() ? RowKpis(row) : chosen;
  Table table;
  table.AddColumn("KPI", Align::kLeft);
  table.AddColumn("Value", Align::kRight);
  for (const std::string& name : columns) {
    table.AddRow({KpiLabel(name), Cell(row, name)});
  }
  return table.Render() + CompletenessNote(answer, columns);
}

// The rows in display order: staff by net sales, products by units sold (then value), best
// first; any other grouping as the API sorts it (time, channel, store…).
std::vector<const json*> OrderedRows(const std::string& by, const json& rows) {
  std::vector<const json*> ordered;
  for (const json& row : rows) ordered.push_back(&row);
  // Doubles: a by=employee count may be a share of shared sales (0.5 transactions).
  auto figure = [](const json& row, const char* name) {
    auto it = row.find(name);
    return it != row.end() && it->is_number() ? it->get<double>() : 0.0;
  };
  auto by_figures = [figure](const char* first, const char* second) {
    return [=](const json* a, const json* b) {
      return std::make_pair(figure(*a, first), figure(*a, second)) >
             std::make_pair(figure(*b, first), figure(*b, second));
    };
  };
  if (by == "employee" || by == "category") {
    std::stable_sort(ordered.begin(), ordered.end(), by_figures("net_sales", "transactions"));
  } else if (by == "sku") {
    std::stable_sort(ordered.begin(), ordered.end(), by_figures("units_sold", "net_sales"));
  }
  return ordered;
}

bool AnyLabour(const json& rows) {
  for (const json& row : rows) {
    const json& hours = row.value("labour_hours", json());
    if (hours.is_number() && hours.get<double>() > 0) return true;
  }
  return false;
}

// Under a table of products or categories, the catalogue they come from (docs/KPIS.md, "Cost and
// margin"): "Catalogue 158ae32b0fda7d37 from head office, received 2 h ago" — or that there is
// none yet.
std::string CatalogueNote(const json& answer) {
  const std::string by = StringField(answer, "by");
  if (by != "sku" && by != "category") return "";
  const json& stamp = answer.value("catalogue", json());
  if (!stamp.is_object()) {
    return "\nNo product catalogue from head office yet: no names, categories or margins.\n";
  }
  const json& age = stamp.value("age_s", json());
  const int64_t s = age.is_number_integer() ? age.get<int64_t>() : 0;
  const std::string when = s < 90       ? "just now"
                           : s < 5400   ? std::to_string((s + 30) / 60) + " min ago"
                           : s < 172800 ? std::to_string((s + 1800) / 3600) + " h ago"
                                        : std::to_string((s + 43200) / 86400) + " days ago";
  return "\nCatalogue " + StringField(stamp, "version") + " from head office, received " + when +
         ".\n";
}

// Whether some row has a gross margin: the catalogue gave costs to all its units.
bool AnyMargin(const json& rows) {
  for (const json& row : rows) {
    if (row.value("gross_margin", json()).is_number()) return true;
  }
  return false;
}

// Whether some row has a name from the catalogue (by=sku).
bool AnyName(const json& rows) {
  for (const json& row : rows) {
    if (row.value("name", json()).is_string()) return true;
  }
  return false;
}

std::string WideTable(const json& answer, const std::vector<std::string>& chosen) {
  const std::string by = StringField(answer, "by");
  std::vector<std::string> columns = chosen;
  if (columns.empty() && by == "category") columns = KpiNames(kCategoryKpis);
  if (columns.empty()) {
    if (by == "employee") {
      columns = KpiNames(kEmployeeKpis);
      if (AnyLabour(answer["rows"])) {  // each person's hours and sales per hour; no visitors
        for (Kpi kpi : {Kpi::kLabourHours, Kpi::kSalesPerLabourHour}) {
          columns.emplace_back(common::KpiName(kpi));
        }
      }
    } else if (by == "sku") {
      columns = KpiNames(kSkuKpis);
    } else {
      columns = KpiNames(kMainKpis);
      if (AnyLabour(answer["rows"])) {
        for (const std::string& name : KpiNames(kLabourKpis)) columns.push_back(name);
      }
    }
    if (by != "employee" && AnyMargin(answer["rows"])) {
      columns.emplace_back(common::KpiName(Kpi::kGrossMargin));
      columns.emplace_back(common::KpiName(Kpi::kMarginRate));
    }
  }
  const bool named = by == "sku" && AnyName(answer["rows"]);
  Table table;
  table.AddColumn(KeyHeader(answer.value("by", json())), Align::kLeft);
  if (named) table.AddColumn("Name", Align::kLeft);
  for (const std::string& name : columns) table.AddColumn(KpiLabel(name), Align::kRight);
  const std::vector<const json*> rows = OrderedRows(by, answer["rows"]);
  const size_t shown = by == "sku" ? std::min(rows.size(), kMaxSkuRows) : rows.size();
  for (size_t i = 0; i < shown; ++i) {
    std::vector<std::string> cells = {KeyText(rows[i]->value("key", json()))};
    if (named) {
      const json& name = rows[i]->value("name", json());
      cells.push_back(name.is_string() ? name.get<std::string>() : "–");
    }
    for (const std::string& name : columns) {
      cells.push_back(Cell(*rows[i], name));
    }
    table.AddRow(std::move(cells));
  }
  std::string out = table.Render() + CompletenessNote(answer, columns);
  if (shown < rows.size()) {
    out += "… and " + GroupThousands(static_cast<int64_t>(rows.size() - shown)) +
           " more SKUs (--json lists them all)\n";
  }
  return out + CatalogueNote(answer);
}

}  // namespace

std::string KpiHeading(const json& answer, const std::string& timezone) {
  std::string heading = ScopeTitle(answer.value("scope", json()));
  const std::string period = PeriodText(answer.value("from", json()), answer.value("to", json()));
  if (!period.empty()) heading += " — " + period;
  if (!timezone.empty()) heading += " (" + timezone + ")";
  return heading;
}

common::StatusOr<std::string> RenderKpiAnswer(const json& answer, const KpiView& view) {
  if (!answer.is_object() || !answer.contains("rows") || !answer["rows"].is_array()) {
    return common::Internal("the KPI answer has no \"rows\" array: " +
                            answer.dump().substr(0, 200));
  }
  const json& rows = answer["rows"];
  if (!std::all_of(rows.begin(), rows.end(), [](const json& row) { return row.is_object(); })) {
    return common::Internal("the KPI answer has a row that is not an object");
  }
  RETURN_IF_ERROR(CheckColumns(view.columns, rows));
  std::string out = KpiHeading(answer, view.timezone) + "\n\n";
  if (rows.empty()) return out + "No data for this period.\n";
  const json by = answer.value("by", json());
  const bool total = (by.is_null() || by == "total") && rows.size() == 1;
  return out + (total ? TotalTable(answer, view.columns) : WideTable(answer, view.columns));
}

std::vector<std::string> SplitColumns(std::string_view text) {
  std::vector<std::string> columns;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) columns.emplace_back(item);
    start = comma + 1;
  }
  return columns;
}

}  // namespace storepulse::cli
