// Decoding producers' batches (JSON array, JSON Lines, msgpack) into events, and the compact stored
// encoding of an event used in the databases and on the replication wire.
//
// Decoding checks the *shape* of each event (fields present, of the right type, known enum names,
// size limits); ValidateEvent (event_validator.h) then checks values against the node. A bad event
// never spoils its batch: each element carries its own result. Stateless functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/event.h"
#include "common/status.h"

namespace storepulse::common {

// One element of a decoded batch.
struct DecodedEvent {
  std::string id;            // best effort: the `id` field if it could be read, else empty
  StatusOr<Event> event;     // the event, or why it was refused ("field 'lines[0].qty': …")
};

// A JSON array of event objects, or JSON Lines (one object per non-blank line). Fails as a whole
// only when the body cannot be split into events at all (not JSON, over kMaxBatchEvents/Bytes).
// Each event's size and nesting are measured while it is parsed, the same way in every encoding
// (event_size.h); an event over those limits is refused without being built, so memory stays
// about one event's worth whatever the body holds.
StatusOr<std::vector<DecodedEvent>> DecodeJsonBatch(std::string_view body);

// A msgpack array of event maps with the same field names and types as JSON (timestamps as
// RFC 3339 strings or integer Unix ms). Same rules as DecodeJsonBatch, and the batch also fails
// as a whole where an element nests deeper than kMaxMsgpackDepth (256) levels: msgpack's parser
// keeps a stack entry per level, so it stops there.
StatusOr<std::vector<DecodedEvent>> DecodeMsgpackBatch(std::string_view bytes);

// The producer-side encodings of a batch, as a client (CLI, simulator, benchmarks) sends it.
std::string EncodeJsonLines(const std::vector<Event>& events);
std::string EncodeMsgpackBatch(const std::vector<Event>& events);
// One event as the JSON object of SPEC §2 (ts as RFC 3339 UTC with milliseconds).
std::string EncodeJsonEvent(const Event& event);

// The stored encoding: a versioned positional msgpack array (format documented in the .cc).
// Decoding it back yields an equal Event.
std::string EncodeStored(const Event& event);
void AppendStored(const Event& event, std::string* out);
StatusOr<Event> DecodeStored(std::string_view bytes);

}  // namespace storepulse::common
