#include "edge/connectors/axis_live_counts.h"

#include <algorithm>
#include <map>
#include <vector>

#include "common/event_limits.h"
#include "edge/connectors/event_ids.h"
#include "edge/connectors/footfall_event.h"
#include "edge/connectors/source_values.h"

namespace storepulse::edge {
namespace {

using nlohmann::json;

constexpr int64_t kMaxGapMs = common::kMaxPeriodS * 1000;

// A counter's reading; the state kept per counter is its last one.
struct Reading {
  size_t record = 0;
  std::string serial;
  std::string name;
  int64_t ts_ms = 0;
  FootfallCounts totals;
};

// The kept reading as connectors.db holds it: {"ts": UTC ms, "in": total, "out": total}.
std::string EncodeKept(const Reading& reading) {
  return json{{"ts", reading.ts_ms}, {"in", reading.totals.in}, {"out", reading.totals.out}}.dump();
}

common::StatusOr<Reading> DecodeKept(const std::string& serial, const std::string& text) {
  json kept = json::parse(text, nullptr, /*allow_exceptions=*/false);
  const json* ts = Member(kept, "ts");
  const json* in = Member(kept, "in");
  const json* out = Member(kept, "out");
  if (ts == nullptr || !ts->is_number_integer() || in == nullptr || !JsonCount(*in) ||
      out == nullptr || !JsonCount(*out)) {
    return common::Internal("the last reading kept for Axis counter " + serial +
                            " in connectors.db is unreadable: " + text.substr(0, 80));
  }
  Reading reading;
  reading.serial = serial;
  reading.ts_ms = ts->get<int64_t>();
  reading.totals = {*JsonCount(*in), *JsonCount(*out)};
  return reading;
}

// live-sum.json's "20261204101500" (14 digits, local time) as "2026-12-04T10:15:00"; any other
// text as it is, for ParseSourceTime.
std::string ExpandCompactTime(const std::string& text) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (text.size() != 14 || !std::all_of(text.begin(), text.end(), digit)) return text;
  return text.substr(0, 4) + "-" + text.substr(4, 2) + "-" + text.substr(6, 2) + "T" +
         text.substr(8, 2) + ":" + text.substr(10, 2) + ":" + text.substr(12, 2);
}

common::StatusOr<Reading> ReadReading(const json& item, size_t record,
                                      const ConnectorRequest& request) {
  Reading reading;
  reading.record = record;
  const json* serial = Member(item, "serial");
  if (serial == nullptr || !serial->is_string() || serial->get_ref<const std::string&>().empty()) {
    return common::InvalidArgument("the reading has no 'serial' (the counter's serial number)");
  }
  reading.serial = serial->get<std::string>();
  RETURN_IF_ERROR(CheckTextLength("'serial'", reading.serial));  // also a key of connectors.db
  const json* name = Member(item, "name");
  if (name != nullptr && name->is_string()) reading.name = name->get<std::string>();
  const json* in = Member(item, "in");
  const json* out = Member(item, "out");
  if (in == nullptr || out == nullptr || !JsonCount(*in) || !JsonCount(*out)) {
    return common::InvalidArgument("'in' and 'out' must be integers >= 0 (cumulative totals)");
  }
  reading.totals = {*JsonCount(*in), *JsonCount(*out)};
  const json* timestamp = Member(item, "timestamp");
  if (timestamp == nullptr) return common::InvalidArgument("the reading has no 'timestamp'");
  auto ts = timestamp->is_string()
                ? ParseSourceTime(ExpandCompactTime(timestamp->get<std::string>()), *request.zone)
                : JsonTime(*timestamp, *request.zone);
  if (!ts.ok()) return common::InvalidArgument("'timestamp': " + ts.status().message());
  if (*ts > request.now_ms + common::kMaxFutureSkewMs) {
    return common::InvalidArgument(
        "'timestamp' is more than 24 h ahead of the edge's clock: "
        "check the camera's clock and time zone");
  }
  reading.ts_ms = *ts;
  return reading;
}

class LiveCountsMapper {
 public:
  LiveCountsMapper(const ConnectorRequest& request, const std::set<std::string>& swapped)
      : request_(request), swapped_(swapped) {}

  // Differences `reading` against the counter's last reading, which it then replaces (or not).
  common::Status Add(const Reading& reading) {
    ASSIGN_OR_RETURN(const Reading* kept, Kept(reading.serial));
    if (kept == nullptr) {
      Replace(reading, "the counter's first reading: it sets the baseline");
    } else {
      Difference(*kept, reading);
    }
    return common::OkStatus();
  }

  ConnectorOutput Finish() {
    for (const auto& [serial, reading] : last_) {
      if (changed_.count(serial) > 0) output_.state[serial] = EncodeKept(reading);
    }
    return std::move(output_);
  }

  ConnectorOutput& output() { return output_; }

 private:
  void Difference(const Reading& kept, const Reading& reading) {
    const std::string last = "the last reading kept, at " + request_.zone->FormatLocal(kept.ts_ms);
    if (reading.ts_ms <= kept.ts_ms) {
      return Skip(reading, "not newer than " + last +
                               ": sent again or out of order, counted "
                               "already");
    }
    if (reading.totals.in < kept.totals.in || reading.totals.out < kept.totals.out) {
      return Replace(reading, "in " + std::to_string(kept.totals.in) + " -> " +
                                  std::to_string(reading.totals.in) + ", out " +
                                  std::to_string(kept.totals.out) + " -> " +
                                  std::to_string(reading.totals.out) + " since " + last +
                                  ": the counter was reset; nothing is counted for this "
                                  "interval and this reading is the new baseline");
    }
    if (reading.ts_ms - kept.ts_ms > kMaxGapMs) {
      return Replace(reading, "more than a day since " + last +
                                  ": the traffic between cannot be placed in time and is not "
                                  "counted; this reading is the new baseline");
    }
    const FootfallCounts delta{reading.totals.in - kept.totals.in,
                               reading.totals.out - kept.totals.out};
    const int64_t period_s = (reading.ts_ms - kept.ts_ms + 999) / 1000;  // whole seconds, >= 1
    // Known by its start: were this reading's state lost after its events were stored, the next
    // reading, differenced against the same kept one, would map to this id again — a duplicate,
    // not a second count of this interval.
    const std::string id = StableEventId("axis", {reading.serial, std::to_string(kept.ts_ms)});
    output_.events.push_back({reading.record, Describe(reading),
                              FootfallEvent(id, reading.serial, kept.ts_ms, period_s,
                                            Oriented(delta, swapped_, reading.serial))});
    Replace(reading, "");
  }

  // The counter's last reading: this request's, else the one kept; nullptr for none.
  common::StatusOr<const Reading*> Kept(const std::string& serial) {
    auto it = last_.find(serial);
    if (it != last_.end()) return &it->second;
    std::optional<std::string> kept = request_.state ? request_.state(serial) : std::nullopt;
    if (!kept) return nullptr;
    ASSIGN_OR_RETURN(Reading reading, DecodeKept(serial, *kept));
    return &last_.emplace(serial, std::move(reading)).first->second;
  }

  // `reading` becomes the counter's last reading; skipped with `skip_reason` unless empty.
  void Replace(const Reading& reading, const std::string& skip_reason) {
    if (!skip_reason.empty()) Skip(reading, skip_reason);
    last_[reading.serial] = reading;
    changed_.insert(reading.serial);
  }

  void Skip(const Reading& reading, const std::string& reason) {
    output_.skipped.push_back({reading.record, Describe(reading), reason});
  }

  std::string Describe(const Reading& reading) const {
    std::string text = "counter " + reading.serial;
    if (!reading.name.empty()) text += " '" + reading.name + "'";
    return text + " at " + request_.zone->FormatLocal(reading.ts_ms);
  }

  const ConnectorRequest& request_;
  const std::set<std::string>& swapped_;
  ConnectorOutput output_;
  std::map<std::string, Reading> last_;
  std::set<std::string> changed_;
};

}  // namespace

common::StatusOr<ConnectorOutput> MapAxisLiveCounts(const json& body,
                                                    const ConnectorRequest& request,
                                                    const std::set<std::string>& swapped) {
  if (!body.is_object() && !body.is_array()) {
    return common::InvalidArgument("not Axis live counts: a JSON object or array is expected");
  }
  LiveCountsMapper mapper(request, swapped);
  std::vector<Reading> readings;
  const size_t count = body.is_array() ? body.size() : 1;
  for (size_t i = 0; i < count; ++i) {
    auto reading = ReadReading(body.is_array() ? body[i] : body, i, request);
    if (!reading.ok()) {
      mapper.output().rejected.push_back(
          {i, "reading " + std::to_string(i), reading.status().message()});
      continue;
    }
    readings.push_back(std::move(reading).value());
  }
  // Per counter in time order, so a poller's batch need not be sorted.
  std::stable_sort(readings.begin(), readings.end(), [](const Reading& a, const Reading& b) {
    return a.serial != b.serial ? a.serial < b.serial : a.ts_ms < b.ts_ms;
  });
  for (const Reading& reading : readings) RETURN_IF_ERROR(mapper.Add(reading));
  return mapper.Finish();
}

}  // namespace storepulse::edge
