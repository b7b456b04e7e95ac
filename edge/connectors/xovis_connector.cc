#include "edge/connectors/xovis_connector.h"

#include <cctype>
#include <string>
#include <vector>

#include "common/utf8.h"
#include "edge/connectors/event_ids.h"
#include "edge/connectors/footfall_event.h"
#include "edge/connectors/json_values.h"
#include "edge/connectors/source_values.h"

namespace storepulse::edge {
namespace {

using nlohmann::json;

// The count names of a line's two directions, as a Xovis line count logic names them (compared
// without case). Other counts of a logic (per class, say) are not footfall and are ignored.
bool IsForward(const std::string& name) { return name == "fw" || name == "forward"; }
bool IsBackward(const std::string& name) { return name == "bw" || name == "backward"; }

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// A logic's id as text: Xovis numbers them, but a string is taken as it is.
std::string LogicId(const json& logic) {
  const json* id = Member(logic, "id");
  if (id == nullptr) return "";
  if (id->is_number_integer()) return id->dump();  // exact: 2^64 - 1 read as int64 was -1
  if (id->is_string()) return id->get<std::string>();
  return "";
}

// One line's forward and backward counts of one record; an error names what is missing.
common::StatusOr<FootfallCounts> RecordCounts(const json& record) {
  const json* counts = Member(record, "counts");
  if (counts == nullptr || !counts->is_array()) {
    return common::InvalidArgument("the record has no 'counts' array");
  }
  std::optional<int64_t> forward, backward;
  for (const json& count : *counts) {
    const json* name = Member(count, "name");
    const json* value = Member(count, "value");
    if (name == nullptr || !name->is_string() || value == nullptr) continue;
    const std::string direction = Lower(name->get<std::string>());
    if (!IsForward(direction) && !IsBackward(direction)) continue;
    std::optional<int64_t> n = JsonCount(*value);
    if (!n) {
      return common::InvalidArgument("count '" + name->get<std::string>() +
                                     "' is not an integer >= 0: " + value->dump().substr(0, 40));
    }
    (IsForward(direction) ? forward : backward) = *n;
  }
  if (!forward || !backward) {
    return common::InvalidArgument("the record lacks its 'fw' (forward) or 'bw' (backward) count");
  }
  return FootfallCounts{*forward, *backward};
}

struct Interval {
  int64_t from_ms = 0;
  int64_t period_s = 0;
};

common::StatusOr<Interval> RecordInterval(const json& record, const common::TimeZone& zone) {
  const json* from = Member(record, "from");
  const json* to = Member(record, "to");
  if (from == nullptr || to == nullptr) {
    return common::InvalidArgument("the record lacks 'from' or 'to'");
  }
  ASSIGN_OR_RETURN(int64_t from_ms, JsonTime(*from, zone));
  ASSIGN_OR_RETURN(int64_t to_ms, JsonTime(*to, zone));
  ASSIGN_OR_RETURN(int64_t period_s, IntervalSeconds(from_ms, to_ms));
  return Interval{from_ms, period_s};
}

class PushMapper {
 public:
  PushMapper(const ConnectorRequest& request, const std::set<std::string>& swapped)
      : request_(request), swapped_(swapped) {}

  // One package: {"logics_data": {...}} or the object inside it.
  common::Status MapPackage(const json& package) {
    const json* inner = Member(package, "logics_data");
    const json& data = inner != nullptr ? *inner : package;
    const json* info = Member(data, "sensor_info");
    const json* serial = info == nullptr ? nullptr : Member(*info, "serial_number");
    if (serial == nullptr || !serial->is_string() ||
        serial->get_ref<const std::string&>().empty()) {
      return common::InvalidArgument(
          "not a Xovis logics data push: no 'sensor_info' with a 'serial_number'");
    }
    RETURN_IF_ERROR(
        CheckTextLength("sensor_info.serial_number", serial->get_ref<const std::string&>()));
    const json* logics = Member(data, "logics");
    if (logics == nullptr || !logics->is_array()) {
      return common::InvalidArgument("not a Xovis logics data push: no 'logics' array");
    }
    for (const json& logic : *logics) MapLogic(serial->get<std::string>(), logic);
    return common::OkStatus();
  }

  ConnectorOutput& output() { return output_; }

 private:
  void MapLogic(const std::string& serial, const json& logic) {
    const std::string logic_id = LogicId(logic);
    const json* name = Member(logic, "name");
    std::string line = "line " + (logic_id.empty() ? "?" : common::EscapeForMessage(logic_id, 40));
    if (name != nullptr && name->is_string()) {
      line += " '" + common::EscapeForMessage(name->get_ref<const std::string&>(), 40) + "'";
    }
    line += " of sensor " + serial;
    const json* records = Member(logic, "records");
    if (logic_id.empty() || records == nullptr || !records->is_array()) {
      output_.rejected.push_back(
          {next_record_++, line, "the logic has no 'id' or no 'records' array"});
      return;
    }
    const std::string sensor = serial + "/" + logic_id;
    if (common::Status length = CheckTextLength("the line's sensor (serial/id)", sensor);
        !length.ok()) {
      output_.rejected.push_back({next_record_++, line, length.message()});
      return;
    }
    for (const json& record : *records) {
      const size_t index = next_record_++;
      std::string source = line;
      auto interval = RecordInterval(record, *request_.zone);
      if (!interval.ok()) {
        output_.rejected.push_back({index, source, interval.status().message()});
        continue;
      }
      source += ", " + request_.zone->FormatLocal(interval->from_ms);
      auto counts = RecordCounts(record);
      if (!counts.ok()) {
        output_.rejected.push_back({index, source, counts.status().message()});
        continue;
      }
      const std::string id =
          StableEventId("xovis", {serial, logic_id, std::to_string(interval->from_ms)});
      output_.events.push_back({index, source,
                                FootfallEvent(id, sensor, interval->from_ms, interval->period_s,
                                              Oriented(*counts, swapped_, sensor, serial))});
    }
  }

  const ConnectorRequest& request_;
  const std::set<std::string>& swapped_;
  ConnectorOutput output_;
  size_t next_record_ = 0;
};

}  // namespace

common::StatusOr<ConnectorOutput> XovisConnector::Map(const ConnectorRequest& request) const {
  auto parsed = ParseSourceJson(request.body);
  if (!parsed.ok()) return common::InvalidArgument("the body is " + parsed.status().message());
  const json body = std::move(parsed).value();
  PushMapper mapper(request, swapped_);
  if (body.is_array()) {  // several packages pushed at once
    for (const json& package : body) RETURN_IF_ERROR(mapper.MapPackage(package));
  } else {
    RETURN_IF_ERROR(mapper.MapPackage(body));
  }
  return std::move(mapper.output());
}

}  // namespace storepulse::edge
