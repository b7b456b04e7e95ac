// Fuzzes the replication protocol's decoder (common/protocol/messages.h: wire::Decode), which
// central runs on every frame an edge sends and the edge on every frame from central, and asserts:
//   - a decoded message encodes to bytes that decode again, to a message that encodes to the same
//     bytes (Encode∘Decode is a fixed point after one step: nothing is lost or invented);
//   - every event of a Batch that the stored decoder (DecodeStored) accepts encodes back to bytes
//     that decode to an equal event.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "common/event_codec.h"
#include "common/protocol/messages.h"
#include "tests/fuzz/fuzz_check.h"

namespace wire = storepulse::common::wire;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto message = wire::Decode(bytes);
  if (!message.ok()) return 0;
  const std::string encoded = wire::Encode(*message);
  auto again = wire::Decode(encoded);
  FUZZ_CHECK(again.ok(), "re-encoded message refused: " + again.status().message());
  FUZZ_CHECK(again->index() == message->index(), "re-encoded message changed type");
  FUZZ_CHECK(wire::Encode(*again) == encoded, "Encode(Decode(Encode(m))) != Encode(m)");

  if (const auto* batch = std::get_if<wire::Batch>(&*message)) {
    for (const std::string& stored : batch->events) {
      auto event = storepulse::common::DecodeStored(stored);
      if (!event.ok()) continue;
      auto back = storepulse::common::DecodeStored(storepulse::common::EncodeStored(*event));
      FUZZ_CHECK(back.ok(), "re-stored event refused: " + back.status().message());
      FUZZ_CHECK(*back == *event, "stored round trip differs for event " + event->id);
    }
  }
  return 0;
}
