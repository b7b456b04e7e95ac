// The one validator every ingest path uses (STYLE rule 12): value rules of SPEC §2 that depend on
// the node (its store id and clock) or on several fields at once. Shape rules (types, enum names,
// sizes) are checked while decoding (event_codec.h). Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "common/event.h"
#include "common/status.h"

namespace storepulse::common {

struct ValidationContext {
  std::string store;   // the node's store id; an event naming another store is refused
  int64_t now_ms = 0;  // the node's clock
  // How far the sender's clock may run ahead of the node's on top of the 24 h rule: 0 at the
  // edge (its own clock); central allows replicated events a few days of edge clock skew.
  int64_t clock_skew_ms = 0;
};

// OK, or InvalidArgument with "field 'x': rule, got value".
Status ValidateEvent(const Event& event, const ValidationContext& context);

}  // namespace storepulse::common
