#include "cli/kpi_format.h"

#include <array>
#include <utility>

#include "cli/number_format.h"

namespace storepulse::cli {
namespace {

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 34> kLabels = {{
    {"gross_sales", "Gross sales"},
    {"returns_value", "Returns"},
    {"net_sales", "Net sales"},
    {"transactions", "Transactions"},
    {"units_sold", "Units sold"},
    {"units_returned", "Units returned"},
    {"aov", "AOV"},
    {"upt", "UPT"},
    {"footfall", "Footfall"},
    {"conversion_rate", "Conversion"},
    {"return_rate", "Return rate"},
    {"return_rate_units", "Return rate (units)"},
    {"web_returns_in_store", "Web returns in store"},
    {"web_returns_in_store_value", "Web returns in store (value)"},
    {"customers", "Customers"},
    {"new_customers", "New customers"},
    {"recruitment_rate", "Recruitment rate"},
    {"purchase_frequency", "Purchase frequency"},
    {"clv", "CLV"},
    {"nps", "NPS"},
    {"nps_responses", "NPS responses"},
    {"csat", "CSAT"},
    {"csat_responses", "CSAT responses"},
    {"availability", "Availability"},
    {"out_of_stock_skus", "Out-of-stock SKUs"},
    {"stock_turnover", "Stock turnover"},
    {"shrink_units", "Shrink (units)"},
    {"cc_orders", "Click & collect orders"},
    {"cc_warehouse_share", "C&C from warehouse"},
    {"sfs_orders", "Ship-from-store orders"},
    {"sfs_stock_cancel_rate", "SFS stock cancels"},
    {"promise_kept_rate", "Promises kept"},
    {"avg_late_minutes", "Avg lateness (min)"},
    {"sales_per_m2", "Sales per m²"},
}};

std::string FormatNumber(KpiKind kind, const nlohmann::json& value) {
  const double number = value.get<double>();
  switch (kind) {
    case KpiKind::kMoney:
      return value.is_number_integer() ? FormatMoney(value.get<int64_t>()) : FormatMoney(number);
    case KpiKind::kRate:
      return FormatPercent(number, 1);
    case KpiKind::kScore:
    case KpiKind::kMinutes:
      return FormatDecimal(number, 1);
    case KpiKind::kNumber:
      break;
  }
  return value.is_number_integer() ? GroupThousands(value.get<int64_t>())
                                   : FormatDecimal(number, 2);
}

}  // namespace

KpiKind KindOfKpi(std::string_view name) {
  if (name == "gross_sales" || name == "returns_value" || name == "net_sales" || name == "aov" ||
      name == "clv" || name == "sales_per_m2" || EndsWith(name, "_value")) {
    return KpiKind::kMoney;
  }
  if (EndsWith(name, "_rate") || EndsWith(name, "_share") || name == "return_rate_units" ||
      name == "availability") {
    return KpiKind::kRate;
  }
  if (name == "nps" || name == "csat") return KpiKind::kScore;
  if (EndsWith(name, "_minutes")) return KpiKind::kMinutes;
  return KpiKind::kNumber;
}

std::string KpiLabel(std::string_view name) {
  for (const auto& [kpi, label] : kLabels) {
    if (kpi == name) return std::string(label);
  }
  std::string label(name);
  for (char& c : label) {
    if (c == '_') c = ' ';
  }
  if (!label.empty() && label[0] >= 'a' && label[0] <= 'z') label[0] = label[0] - 'a' + 'A';
  return label;
}

std::string FormatKpi(std::string_view name, const nlohmann::json& value) {
  if (value.is_null()) return "–";
  if (value.is_number()) return FormatNumber(KindOfKpi(name), value);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  return "(see --json)";
}

}  // namespace storepulse::cli
