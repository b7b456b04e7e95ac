// Fuzzes the edge's `csv` connector (edge/connectors/csv_connector.h): a CSV mapping file
// (csv_mapping.h, read when the edge starts) and a CSV body posted with it. The input is the
// mapping text, a line "%%", then the body; without that line it is a mapping only. Asserts, for
// a mapping it accepts and a body it maps:
//   - every event is one JSON object of the mapping's type with a non-empty string id, which the
//     edge's JSON decoder reads as one element (or the event says why it is not UTF-8);
//   - no two events share an id (rows that share id fields but are not one event are rejected,
//     never answered as duplicates);
//   - every event and note names a record of the body.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/event_codec.h"
#include "common/time_zone.h"
#include "edge/connectors/csv_connector.h"
#include "edge/connectors/csv_mapping.h"
#include "tests/fuzz/fuzz_check.h"

namespace edge = storepulse::edge;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find("\n%%\n");
  const std::string_view mapping_text = input.substr(0, split);
  auto mapping = edge::ParseCsvMapping(mapping_text, "fuzz.conf", "fuzz");
  if (!mapping.ok() || split == std::string_view::npos) return 0;
  const std::string type = mapping->type;
  std::vector<edge::CsvMapping> mappings;
  mappings.push_back(std::move(mapping).value());
  auto connector = edge::CsvConnector::FromMappings(std::move(mappings));
  FUZZ_CHECK(connector.ok(), "one mapping refused: " + connector.status().message());

  static const auto zone = storepulse::common::TimeZone::Load("Europe/Paris");
  FUZZ_CHECK(zone.ok(), "no tz database: " + zone.status().message());
  edge::ConnectorRequest request;
  request.body = input.substr(split + 4);
  request.store = "s1";
  request.zone = &*zone;
  request.now_ms = 1'700'000'000'000;
  auto output = (*connector)->Map(request);
  if (!output.ok()) return 0;

  const size_t records = request.body.size() + 1;  // a record is at least a line
  std::set<std::string> ids;
  for (const edge::MappedEvent& event : output->events) {
    FUZZ_CHECK(event.record < records, "an event names record " + std::to_string(event.record));
    if (!event.not_utf8.empty()) continue;
    const auto object = nlohmann::json::parse(event.json, nullptr, false);
    FUZZ_CHECK(object.is_object(), "an event is not a JSON object: " + event.json);
    FUZZ_CHECK(object.value("type", std::string()) == type, "wrong type: " + event.json);
    const std::string id = object.value("id", std::string());
    FUZZ_CHECK(!id.empty(), "an event without an id: " + event.json);
    FUZZ_CHECK(ids.insert(id).second, "two events share the id " + id);
    auto decoded = storepulse::common::DecodeJsonBatch(event.json);
    FUZZ_CHECK(decoded.ok() && decoded->size() == 1, "not one element: " + event.json);
  }
  for (const edge::RecordNote& note : output->rejected) {
    FUZZ_CHECK(note.record < records, "a rejection names record " + std::to_string(note.record));
  }
  return 0;
}
