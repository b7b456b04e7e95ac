// Reading untrusted msgpack without building it, with msgpack-cxx's parser and visitors that
// allocate nothing: what the first value of a body is (and, for an array, where its elements
// start), and, for one value, where it ends, its size and nesting as an event (EventSizeMeter,
// event_size.h) and its "id" member. So the msgpack codec unpacks into objects only the events
// known to be within the limits: an unpacked value costs 24 bytes however small its encoding, and
// a 16 MiB array of one-byte values would take 400 MB.
//
// Only the msgpack codec includes this header (STYLE rule 5). Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <msgpack.hpp>
#include <string_view>

#include "common/event_size.h"
#include "common/status.h"

namespace storepulse::common {

// The first value of some bytes, as far as its header.
struct MsgpackHead {
  // A scalar whole (a string refers into the bytes); a container with its element count only
  // (no elements: never walk it).
  msgpack::object value;
  // For an array: the bytes of its header, where its first element starts.
  size_t header_bytes = 0;
};

// The head of `bytes`. InvalidArgument "<what> is empty, not msgpack" or "<what> is not valid
// msgpack: …" when there is none.
StatusOr<MsgpackHead> ReadMsgpackHead(std::string_view bytes, std::string_view what);

// One value scanned.
struct MsgpackScan {
  size_t end = 0;        // offset just past the value
  EventSizeMeter meter;  // its size and nesting as an event
  std::string_view id;   // its "id" member's value, when it is a map with a string there
};

// Scans the one value that starts at `offset` of `bytes`. InvalidArgument "<what> is not valid
// msgpack: truncated (N bytes)" or "…: parse error", or "<what> nests deeper than 256 levels"
// (kMaxMsgpackDepth: the parser keeps a stack entry per level, so it stops there).
StatusOr<MsgpackScan> ScanMsgpackValue(std::string_view bytes, size_t offset,
                                       std::string_view what);

}  // namespace storepulse::common
