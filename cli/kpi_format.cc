#include "cli/kpi_format.h"

#include "cli/number_format.h"

namespace storepulse::cli {
namespace {

using common::KpiUnit;

std::string FormatNumber(std::optional<KpiUnit> unit, const nlohmann::json& value) {
  const double number = value.get<double>();
  switch (unit.value_or(KpiUnit::kCount)) {
    case KpiUnit::kMoney:
    case KpiUnit::kMoneyPerM2:
      return value.is_number_integer() ? FormatMoney(value.get<int64_t>()) : FormatMoney(number);
    case KpiUnit::kRate:
      return FormatPercent(number, 1);
    case KpiUnit::kScore:
    case KpiUnit::kPercent:
    case KpiUnit::kMinutes:
    case KpiUnit::kHours:
      return FormatDecimal(number, 1);
    case KpiUnit::kCount:
    case KpiUnit::kRatio:
      break;
  }
  return value.is_number_integer() ? GroupThousands(value.get<int64_t>())
                                   : FormatDecimal(number, 2);
}

}  // namespace

std::optional<KpiUnit> UnitOfKpi(std::string_view name) {
  const std::optional<common::Kpi> kpi = common::FindKpi(name);
  if (!kpi) return std::nullopt;
  return common::InfoOf(*kpi).unit;
}

std::string KpiLabel(std::string_view name) {
  if (const std::optional<common::Kpi> kpi = common::FindKpi(name)) {
    return std::string(common::InfoOf(*kpi).short_label);
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
  if (value.is_number()) return FormatNumber(UnitOfKpi(name), value);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  return "(see --json)";
}

}  // namespace storepulse::cli
