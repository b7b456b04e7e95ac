#include "common/targets/targets_file.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "common/csv.h"
#include "common/targets/kpi_traits.h"

namespace storepulse::common {
namespace {

constexpr const char* kHeader = "scope,kpi,period,target";

std::string Trim(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

Status CheckKpi(const std::string& kpi) {
  if (KnownKpiNames().count(kpi)) return OkStatus();
  std::string names;
  for (const std::string& name : KnownKpiNames()) names += (names.empty() ? "" : ", ") + name;
  return InvalidArgument("unknown KPI \"" + kpi + "\" (one of " + names + ")");
}

// A finite number, in the range of the KPI's unit.
StatusOr<double> ParseTargetValue(const std::string& kpi, const std::string& text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return InvalidArgument("target \"" + text + "\" is not a number (e.g. 125000 or 0.25)");
  }
  if (TraitsOf(kpi).fraction && (value < 0 || value > 1)) {
    return InvalidArgument("target " + text + " of " + kpi +
                           " is a fraction between 0 and 1 (write 0.25 for 25%)");
  }
  const double low = kpi == "nps" ? -100 : 0;
  if (value < low || ((kpi == "nps" || kpi == "csat") && value > 100)) {
    return InvalidArgument("target " + text + " of " + kpi + " is out of range");
  }
  return value;
}

StatusOr<Target> ParseRow(const CsvRow& row) {
  if (row.fields.size() != 4) {
    return InvalidArgument("expected 4 cells (" + std::string(kHeader) + "), got " +
                           std::to_string(row.fields.size()));
  }
  Target target;
  target.line = row.line;
  target.scope = Trim(row.fields[0]);
  target.kpi = Trim(row.fields[1]);
  RETURN_IF_ERROR(CheckTargetScope(target.scope));
  RETURN_IF_ERROR(CheckKpi(target.kpi));
  ASSIGN_OR_RETURN(target.period, ParseTargetPeriod(Trim(row.fields[2])));
  ASSIGN_OR_RETURN(target.target, ParseTargetValue(target.kpi, Trim(row.fields[3])));
  return target;
}

bool IsComment(const CsvRow& row) { return Trim(row.fields[0]).starts_with("#"); }

Status CheckHeader(const std::vector<CsvRow>& rows, size_t* first) {
  *first = 0;
  while (*first < rows.size() && IsComment(rows[*first])) ++*first;
  std::vector<std::string> header;
  if (*first < rows.size()) {
    for (const std::string& cell : rows[*first].fields) header.push_back(Trim(cell));
  }
  if (header != std::vector<std::string>{"scope", "kpi", "period", "target"}) {
    return InvalidArgument(std::string("the first line must be the header ") + kHeader);
  }
  ++*first;
  return OkStatus();
}

}  // namespace

std::string_view TargetPeriodName(TargetPeriod period) {
  switch (period) {
    case TargetPeriod::kWeek:
      return "week";
    case TargetPeriod::kMonth:
      return "month";
    case TargetPeriod::kDay:
      break;
  }
  return "day";
}

StatusOr<TargetPeriod> ParseTargetPeriod(std::string_view text) {
  for (TargetPeriod p : {TargetPeriod::kDay, TargetPeriod::kWeek, TargetPeriod::kMonth}) {
    if (TargetPeriodName(p) == text) return p;
  }
  return InvalidArgument("bad period \"" + std::string(text) + "\" (day, week or month)");
}

Status CheckTargetScope(const std::string& scope) {
  if (scope == "network") return OkStatus();
  const size_t colon = scope.find(':');
  const std::string kind = scope.substr(0, colon);
  if ((kind == "region" || kind == "store") && colon != std::string::npos &&
      colon + 1 < scope.size()) {
    return OkStatus();
  }
  return InvalidArgument("bad scope \"" + scope + "\" (network, region:R or store:S)");
}

StatusOr<TargetList> ParseTargets(std::string_view text) {
  ASSIGN_OR_RETURN(const std::vector<CsvRow> rows, ParseCsv(text));
  size_t first = 0;
  RETURN_IF_ERROR(CheckHeader(rows, &first));
  TargetList targets;
  std::string errors;
  std::map<std::tuple<std::string, std::string, TargetPeriod>, size_t> seen;  // → line
  for (size_t i = first; i < rows.size(); ++i) {
    if (IsComment(rows[i])) continue;
    StatusOr<Target> target = ParseRow(rows[i]);
    Status status = target.status();
    if (target.ok()) {
      auto [it, added] =
          seen.emplace(std::tuple(target->scope, target->kpi, target->period), rows[i].line);
      if (!added) {
        status = InvalidArgument("a second target for " + target->scope + " " + target->kpi +
                                 " per " + std::string(TargetPeriodName(target->period)) +
                                 " (first on line " + std::to_string(it->second) + ")");
      }
    }
    if (!status.ok()) {
      errors += (errors.empty() ? "" : "; ") +
                ("line " + std::to_string(rows[i].line) + ": " + status.message());
    } else {
      targets.push_back(std::move(target).value());
    }
  }
  if (!errors.empty()) return InvalidArgument(errors);
  return targets;
}

StatusOr<std::shared_ptr<const TargetList>> LoadTargets(const std::string& path) {
  if (path.empty()) return std::make_shared<const TargetList>();
  std::ifstream in(path);
  if (!in) return NotFound("cannot read the targets file " + path);
  std::stringstream text;
  text << in.rdbuf();
  StatusOr<TargetList> targets = ParseTargets(text.str());
  if (!targets.ok()) return InvalidArgument(path + ": " + targets.status().message());
  return std::make_shared<const TargetList>(std::move(targets).value());
}

}  // namespace storepulse::common
