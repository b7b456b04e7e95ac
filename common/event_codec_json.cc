// The JSON producer encodings (SPEC §2, HTTP ingest and CLI import): a JSON array of event
// objects, or JSON Lines (one object per line). A body whose first non-blank character is '[' is
// an array, anything else JSON Lines, where each non-blank line is one element on its own: a line
// that is not JSON spoils only itself, and its size is the event's size. An empty body is an
// empty batch.

#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/event_codec.h"
#include "common/event_decoder.h"
#include "common/event_encoder.h"
#include "common/event_errors.h"
#include "common/event_limits.h"
#include "common/json_node.h"
#include "common/time_util.h"
#include "common/utf8.h"

namespace storepulse::common {

namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;  // encodings keep the fields in a readable order

constexpr std::string_view kBlank = " \t\r\n";
constexpr size_t kMaxParseErrorChars = 200;
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
// Instants written as RFC 3339; others (never valid events) as integer ms, so they round-trip.
constexpr int64_t kFirstRfc3339Ms = -30'610'224'000'000;  // 1000-01-01T00:00:00Z
constexpr int64_t kLastRfc3339Ms = 253'402'300'799'999;   // 9999-12-31T23:59:59.999Z

// nlohmann's message without its "[json.exception.parse_error.101] " prefix, escaped and cut:
// it quotes the offending token, which may be long or not UTF-8.
std::string ParseErrorText(const std::exception& e) {
  std::string_view text = e.what();
  const size_t end = text.starts_with("[json.exception.") ? text.find("] ") : text.npos;
  if (end != text.npos) text.remove_prefix(end + 2);
  return EscapeForMessage(text, kMaxParseErrorChars);
}

// A JSON Lines element: its text and its 1-based line number in the body.
struct JsonLine {
  std::string_view text;
  size_t number;
};

std::vector<JsonLine> SplitNonBlankLines(std::string_view body) {
  std::vector<JsonLine> lines;
  size_t number = 0;
  while (!body.empty()) {
    const size_t end = body.find('\n');
    std::string_view line = body.substr(0, end);
    body = end == body.npos ? std::string_view() : body.substr(end + 1);
    ++number;
    const size_t first = line.find_first_not_of(kBlank);
    if (first == line.npos) continue;
    line = line.substr(first, line.find_last_not_of(kBlank) - first + 1);
    lines.push_back({line, number});
  }
  return lines;
}

DecodedEvent DecodeJsonLine(const JsonLine& line) {
  if (line.text.size() > kMaxEventBytes) return {{}, EventTooLarge(line.text.size())};
  Json document;
  try {
    document = Json::parse(line.text.begin(), line.text.end());
  } catch (const std::exception& e) {
    std::string message = ParseErrorText(e);
    // The element is one line: its own "line 1" says nothing, the body's line number does.
    constexpr std::string_view kLineOne = "parse error at line 1, column ";
    if (std::string_view(message).starts_with(kLineOne)) {
      message = "parse error at column " + message.substr(kLineOne.size());
    }
    return {
        {},
        InvalidArgument("line " + std::to_string(line.number) + " is not valid JSON: " + message)};
  }
  return DecodeEvent(JsonNode(document));
}

StatusOr<std::vector<DecodedEvent>> DecodeJsonLines(std::string_view body) {
  const std::vector<JsonLine> lines = SplitNonBlankLines(body);
  if (lines.size() > kMaxBatchEvents) return BatchTooManyEvents(lines.size());
  std::vector<DecodedEvent> events;
  events.reserve(lines.size());
  for (const JsonLine& line : lines) events.push_back(DecodeJsonLine(line));
  return events;
}

// One pass of nlohmann's parser over the whole array, so a body that is not JSON fails with its
// position; each element is decoded as soon as it is complete and then dropped from the
// document, which keeps memory to one element and is twice as fast as building the whole tree.
StatusOr<std::vector<DecodedEvent>> DecodeJsonArray(std::string_view body) {
  std::vector<DecodedEvent> events;
  size_t count = 0;
  const auto on_parse = [&](int depth, Json::parse_event_t event, Json& parsed) {
    using Event = Json::parse_event_t;
    const bool element_done =
        event == Event::value || event == Event::object_end || event == Event::array_end;
    if (depth != 1 || !element_done) return true;
    if (++count <= kMaxBatchEvents) events.push_back(DecodeArrayElement(JsonNode(parsed)));
    return false;  // decoded: drop it from the document
  };
  try {
    const Json emptied = Json::parse(body.begin(), body.end(), on_parse);
  } catch (const std::exception& e) {
    return InvalidArgument("body is not valid JSON: " + ParseErrorText(e));
  }
  if (count > kMaxBatchEvents) return BatchTooManyEvents(count);
  return events;
}

// Builds the JSON object of one event from the members WriteProducerFields writes.
class ObjectWriter {
 public:
  void String(std::string_view key, std::string_view value) { object_[std::string(key)] = value; }
  void Int(std::string_view key, int64_t value) { object_[std::string(key)] = value; }
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
