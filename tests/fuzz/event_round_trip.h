// The properties every accepted event must have, shared by the JSON and the msgpack fuzz targets:
// each encoding of it decodes back to an equal event, and the validator answers.
#pragma once

#include <string>
#include <vector>

#include "common/event.h"
#include "common/event_codec.h"
#include "common/event_validator.h"
#include "tests/fuzz/fuzz_check.h"

namespace storepulse::fuzz {

// REQUIRES: `event` came out of DecodeJsonBatch or DecodeMsgpackBatch.
inline void CheckRoundTrips(const common::Event& event) {
  const std::string json = common::EncodeJsonEvent(event);
  auto from_json = common::DecodeJsonBatch(json);
  FUZZ_CHECK(from_json.ok() && from_json->size() == 1, "JSON re-encoding not one event: " + json);
  FUZZ_CHECK((*from_json)[0].event.ok(),
             "JSON re-encoding refused: " + (*from_json)[0].event.status().message() + " " + json);
  FUZZ_CHECK(*(*from_json)[0].event == event, "JSON round trip differs: " + json);

  auto from_msgpack = common::DecodeMsgpackBatch(common::EncodeMsgpackBatch({event}));
  FUZZ_CHECK(from_msgpack.ok() && from_msgpack->size() == 1, "msgpack batch not one event");
  FUZZ_CHECK((*from_msgpack)[0].event.ok(),
             "msgpack re-encoding refused: " + (*from_msgpack)[0].event.status().message());
  FUZZ_CHECK(*(*from_msgpack)[0].event == event, "msgpack round trip differs: " + json);

  auto stored = common::DecodeStored(common::EncodeStored(event));
  FUZZ_CHECK(stored.ok(), "stored encoding refused: " + stored.status().message());
  FUZZ_CHECK(*stored == event, "stored round trip differs: " + json);

  const common::ValidationContext context{"s1", 1'700'000'000'000, 0};
  (void)common::ValidateEvent(event, context);
}

}  // namespace storepulse::fuzz
