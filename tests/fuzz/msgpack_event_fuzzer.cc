// Fuzzes the msgpack event decoder (DecodeMsgpackBatch: the edge's ZeroMQ ingest and msgpack over
// HTTP) and asserts, for every event it accepts:
//   - the producer encodings read it back equal: its JSON object (EncodeJsonEvent) and a msgpack
//     batch of it (the two decoders accept exactly the same events);
//   - the stored encoding (databases, replication) reads it back equal;
//   - the validator answers without crashing (a value it refuses is fine).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/event_codec.h"
#include "common/event_validator.h"
#include "tests/fuzz/event_round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto batch = storepulse::common::DecodeMsgpackBatch(body);
  if (!batch.ok()) return 0;
  for (const auto& element : *batch) {
    if (!element.event.ok()) continue;
    storepulse::fuzz::CheckRoundTrips(*element.event);
  }
  return 0;
}
