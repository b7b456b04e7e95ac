// The JSON producer encodings (SPEC §2, HTTP ingest and CLI import): a JSON array of event
// objects, or JSON Lines (one object per line). A body whose first non-blank character is '[' is
// an array, anything else JSON Lines, where each non-blank line is one element on its own: a line
// that is not JSON spoils only itself. Either way each element is measured while it is parsed
// (json_element_reader.h), so an event's size and nesting are judged the same in both shapes, and
// as in msgpack. An empty body is an empty batch.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/event_codec.h"
#include "common/event_decoder.h"
#include "common/event_encoder.h"
#include "common/event_errors.h"
#include "common/event_limits.h"
#include "common/json_element_reader.h"
#include "common/json_node.h"
#include "common/time_util.h"
#include "common/utf8.h"

namespace storepulse::common {

namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;  // encodings keep the fields in a readable order

constexpr std::string_view kBlank = " \t\r\n";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
// Instants written as RFC 3339; others (never valid events) as integer ms, so they round-trip.
constexpr int64_t kFirstRfc3339Ms = -30'610'224'000'000;  // 1000-01-01T00:00:00Z
constexpr int64_t kLastRfc3339Ms = 253'402'300'799'999;   // 9999-12-31T23:59:59.999Z

// A JSON Lines element: its text and its 1-based line number in the body.
struct JsonLine {
  std::string_view text;
  size_t number;
};

// Calls f(JsonLine) for each non-blank line of `body`, without copying or storing them.
template <typename F>
void ForEachNonBlankLine(std::string_view body, F&& f) {
  size_t number = 0;
  while (!body.empty()) {
    const size_t end = body.find('\n');
    std::string_view line = body.substr(0, end);
    body = end == body.npos ? std::string_view() : body.substr(end + 1);
    ++number;
    const size_t first = line.find_first_not_of(kBlank);
    if (first == line.npos) continue;
    line = line.substr(first, line.find_last_not_of(kBlank) - first + 1);
    f(JsonLine{line, number});
  }
}

// An element within the limits decoded; one over them refused with its id best effort.
DecodedEvent DecodeElement(const JsonElement& element) {
  if (!element.limits.ok()) return RefusedElement(element.id, element.limits);
  return DecodeEvent(JsonNode(element.document));
}

DecodedEvent DecodeJsonLine(const JsonLine& line) {
  std::optional<DecodedEvent> decoded;
  const StatusOr<size_t> read =
      ReadJsonElements(line.text, JsonShape::kValue, 1,
                       [&](JsonElement element) { decoded = DecodeElement(element); });
  if (!read.ok()) {
    std::string message = read.status().message();
    // The element is one line: its own "line 1" says nothing, the body's line number does.
    constexpr std::string_view kLineOne = "parse error at line 1, column ";
    if (std::string_view(message).starts_with(kLineOne)) {
      message = "parse error at column " + message.substr(kLineOne.size());
    }
    return {
        {},
        InvalidArgument("line " + std::to_string(line.number) + " is not valid JSON: " + message)};
  }
  return std::move(*decoded);  // valid JSON is exactly one element
}

// Counts the lines first, so that millions of tiny lines cost no memory before their refusal.
StatusOr<std::vector<DecodedEvent>> DecodeJsonLines(std::string_view body) {
  size_t count = 0;
  ForEachNonBlankLine(body, [&count](const JsonLine&) { ++count; });
  if (count > kMaxBatchEvents) return BatchTooManyEvents(count);
  std::vector<DecodedEvent> events;
  events.reserve(count);
  ForEachNonBlankLine(body,
                      [&events](const JsonLine& line) { events.push_back(DecodeJsonLine(line)); });
  return events;
}

// One pass of the parser over the whole array, so a body that is not JSON fails with its
// position; each element is decoded as soon as it is complete, then dropped.
StatusOr<std::vector<DecodedEvent>> DecodeJsonArray(std::string_view body) {
  std::vector<DecodedEvent> events;
  const StatusOr<size_t> count =
      ReadJsonElements(body, JsonShape::kArray, kMaxBatchEvents,
                       [&](JsonElement element) { events.push_back(DecodeElement(element)); });
  if (!count.ok()) return InvalidArgument("body is not valid JSON: " + count.status().message());
  if (*count > kMaxBatchEvents) return BatchTooManyEvents(*count);
  return events;
}

// Builds the JSON object of one event from the members WriteProducerFields writes.
class ObjectWriter {
 public:
  void String(std::string_view key, std::string_view value) { object_[std::string(key)] = value; }
  void Int(std::string_view key, int64_t value) { object_[std::string(key)] = value; }
  void Double(std::string_view key, double value) { object_[std::string(key)] = value; }
  void Bool(std::string_view key, bool value) { object_[std::string(key)] = value; }
  void Time(std::string_view key, int64_t utc_ms) {
    if (utc_ms < kFirstRfc3339Ms || utc_ms > kLastRfc3339Ms) return Int(key, utc_ms);
    String(key, FormatRfc3339Utc(utc_ms));
  }
  void Lines(std::string_view key, const std::vector<Line>& lines) {
    OrderedJson& array = object_[std::string(key)] = OrderedJson::array();
    for (const Line& line : lines) {
      OrderedJson& item = array.emplace_back(OrderedJson::object());
      item["sku"] = line.sku;
      item["qty"] = line.qty;
      item["unit_price"] = line.unit_price;
      if (line.discount != 0) item["discount"] = line.discount;
    }
  }
  void Credits(std::string_view key, const std::vector<Credit>& credits) {
    OrderedJson& array = object_[std::string(key)] = OrderedJson::array();
    for (const Credit& credit : credits) {
      OrderedJson& item = array.emplace_back(OrderedJson::object());
      item["employee"] = credit.employee;
      item["share"] = static_cast<double>(credit.share_ppm) / kCreditShareOne;
    }
  }
  // Invalid UTF-8 (never in a decoded event) becomes U+FFFD instead of throwing.
  std::string Dump() const { return object_.dump(-1, ' ', false, Json::error_handler_t::replace); }

 private:
  OrderedJson object_ = OrderedJson::object();
};

}  // namespace

StatusOr<std::vector<DecodedEvent>> DecodeJsonBatch(std::string_view body) {
  if (body.size() > kMaxBatchBytes) return BatchTooManyBytes(body.size());
  if (body.starts_with(kUtf8Bom)) body.remove_prefix(kUtf8Bom.size());
  const size_t first = body.find_first_not_of(kBlank);
  if (first == body.npos) return std::vector<DecodedEvent>{};
  if (body[first] == '[') return DecodeJsonArray(body);
  return DecodeJsonLines(body);
}

std::string EncodeJsonEvent(const Event& event) {
  ObjectWriter writer;
  WriteProducerFields(event, writer);
  return writer.Dump();
}

std::string EncodeJsonLines(const std::vector<Event>& events) {
  std::string out;
  for (const Event& event : events) {
    out.append(EncodeJsonEvent(event));
    out.push_back('\n');
  }
  return out;
}

}  // namespace storepulse::common
