#include "edge/connectors/footfallcam_connector.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "common/event_limits.h"
#include "common/time_util.h"
#include "common/utf8.h"
#include "edge/connectors/csv_table.h"
#include "edge/connectors/event_ids.h"
#include "edge/connectors/source_values.h"

namespace storepulse::edge {
namespace {

const std::vector<std::string> kColumns = {"ValueDateTime", "ValueIn", "ValueOut", "CounterId"};

// One row read: a counter's counts over the interval starting at start_ms.
struct Interval {
  size_t record = 0;
  size_t line = 0;
  std::string counter;
  int64_t start_ms = 0;
  int64_t in = 0, out = 0;
};

std::string SourceOf(size_t line, std::string_view counter) {
  std::string source = "line " + std::to_string(line);
  if (!counter.empty()) source += " (counter " + std::string(counter) + ")";
  return source;
}

common::StatusOr<int64_t> Count(std::string_view column, std::string_view cell) {
  auto value = ParseDecimal(cell, 0);
  if (!value.ok() || *value < 0) {
    return common::InvalidArgument(std::string(column) + " " + common::QuoteForMessage(cell) +
                                   " is not a whole number >= 0");
  }
  return *value;
}

// The row's interval, or why it cannot be read. `at` holds the columns' positions.
common::StatusOr<Interval> ReadRow(const common::CsvRow& row, const std::vector<size_t>& at,
                                   size_t cells, const common::TimeZone& zone) {
  if (row.fields.size() != cells) {
    return common::InvalidArgument("the row has " + std::to_string(row.fields.size()) +
                                   " cells, the header " + std::to_string(cells));
  }
  Interval interval;
  interval.line = row.line;
  interval.counter = std::string(TrimCell(row.fields[at[3]]));
  if (interval.counter.empty()) return common::InvalidArgument("CounterId is empty");
  if (!common::IsValidUtf8(interval.counter)) {
    return common::InvalidArgument("CounterId is not UTF-8 text (export the file as UTF-8)");
  }
  auto start = ParseSourceTime(TrimCell(row.fields[at[0]]), zone);
  if (!start.ok()) return common::InvalidArgument("ValueDateTime: " + start.status().message());
  interval.start_ms = *start;
  ASSIGN_OR_RETURN(interval.in, Count(kColumns[1], TrimCell(row.fields[at[1]])));
  ASSIGN_OR_RETURN(interval.out, Count(kColumns[2], TrimCell(row.fields[at[2]])));
  return interval;
}

// Each counter's smallest positive gap between two of its interval starts, in seconds, when it
// is at most a day (the longest footfall interval).
std::map<std::string, int64_t> PeriodsFromGaps(const std::vector<Interval>& intervals) {
  std::map<std::string, std::vector<int64_t>> starts;
  for (const Interval& interval : intervals) starts[interval.counter].push_back(interval.start_ms);
  std::map<std::string, int64_t> periods;
  for (auto& [counter, times] : starts) {
    std::sort(times.begin(), times.end());
    std::optional<int64_t> smallest;
    for (size_t i = 1; i < times.size(); ++i) {
      const int64_t gap = times[i] - times[i - 1];
      if (gap > 0 && (!smallest || gap < *smallest)) smallest = gap;
    }
    if (smallest && *smallest % 1000 == 0 && *smallest / 1000 <= common::kMaxPeriodS) {
      periods[counter] = *smallest / 1000;
    }
  }
  return periods;
}

common::StatusOr<std::optional<int64_t>> PeriodParam(const ConnectorRequest& request) {
  auto it = request.params.find("period_s");
  if (it == request.params.end()) return std::optional<int64_t>();
  auto value = ParseDecimal(it->second, 0);
  if (!value.ok() || *value < 1 || *value > common::kMaxPeriodS) {
    return common::InvalidArgument("period_s must be a whole number of seconds from 1 to " +
                                   std::to_string(common::kMaxPeriodS) + ", got " +
                                   common::QuoteForMessage(it->second));
  }
  return std::optional<int64_t>(*value);
}

}  // namespace

common::StatusOr<ConnectorOutput> FootfallCamConnector::Map(const ConnectorRequest& request) const {
  ASSIGN_OR_RETURN(std::optional<int64_t> period_param, PeriodParam(request));
  ASSIGN_OR_RETURN(CsvTable table, ReadCsvTable(request.body, ',', /*has_header=*/true));
  auto at = FindColumns(table, kColumns);
  if (!at.ok()) {
    return common::InvalidArgument(at.status().message() +
                                   "; a FootfallCam export's header names "
                                   "ValueDateTime,ValueIn,ValueOut,CounterId");
  }
  ConnectorOutput out;
  std::vector<Interval> intervals;
  for (size_t i = 0; i < table.rows.size(); ++i) {
    const common::CsvRow& row = table.rows[i];
    if (IsBlankRow(row)) continue;
    auto interval = ReadRow(row, *at, table.header.size(), *request.zone);
    if (!interval.ok()) {
      const std::string counter =
          row.fields.size() > (*at)[3] ? std::string(TrimCell(row.fields[(*at)[3]])) : "";
      out.rejected.push_back({i, SourceOf(row.line, common::EscapeForMessage(counter, 40)),
                              interval.status().message()});
      continue;
    }
    interval->record = i;
    intervals.push_back(std::move(interval).value());
  }
  const std::map<std::string, int64_t> gaps = PeriodsFromGaps(intervals);
  std::map<std::pair<std::string, int64_t>, size_t> first_line;
  for (const Interval& interval : intervals) {
    const std::string source = SourceOf(interval.line, interval.counter);
    auto [seen, fresh] =
        first_line.emplace(std::pair(interval.counter, interval.start_ms), interval.line);
    if (!fresh) {
      out.rejected.push_back(
          {interval.record, source,
           "repeats the counter's interval of line " + std::to_string(seen->second)});
      continue;
    }
    auto gap = gaps.find(interval.counter);
    const int64_t period_s = period_param        ? *period_param
                             : gap != gaps.end() ? gap->second
                                                 : kDefaultPeriodS;
    const bool swapped = swapped_sensors_.count(interval.counter) > 0;
    nlohmann::json event = {
        {"id",
         StableEventId(name(), {interval.counter, common::FormatRfc3339Utc(interval.start_ms)})},
        {"type", "footfall"},
        {"ts", interval.start_ms},
        {"sensor", interval.counter},
        {"period_s", period_s},
        {"in", swapped ? interval.out : interval.in},
        {"out", swapped ? interval.in : interval.out}};
    out.events.push_back({interval.record, source, std::move(event)});
  }
  return out;
}

}  // namespace storepulse::edge
