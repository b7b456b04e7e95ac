// ReadJsonElements: nlohmann's SAX parser splitting a JSON text into the elements of a batch —
// the items of a top-level array, or the whole text (one JSON Lines line) — and building each
// element's document only while the element stays within the per-event limits, measured as it is
// read (EventSizeMeter, event_size.h). So memory is one element of at most 64 KiB of compact JSON,
// whatever the body holds: a body nested millions of levels deep, or an element of millions of
// tiny values, is measured and refused, never built (a parse tree costs 30–40 times its text).
//
// Only the JSON codec includes this header (STYLE rule 5: third-party headers stay in their
// adapter). A function; thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"

namespace storepulse::common {

// One element of a JSON batch, as soon as its text is complete.
struct JsonElement {
  nlohmann::json document;  // the element; null (never built) unless `limits` is OK
  Status limits;            // EventSizeMeter::CheckLimits: OK, too deep or too large
  std::string id;           // its top-level "id" member when a string of at most 64 bytes
};

enum class JsonShape {
  kArray,  // a JSON array: each item is an element. REQUIRES: the text starts with '['.
  kValue,  // one JSON value: the element itself
};

// Parses `text` in one pass and hands each of its first `max_elements` elements to
// `on_element`, in order; later ones are counted, neither built nor handed out. Returns how many
// elements the text holds, or InvalidArgument with nlohmann's reason ("parse error at line 2,
// column 104: syntax error while parsing array - …", escaped and cut) when it is not JSON; the
// elements handed out before the error stay handed out.
StatusOr<size_t> ReadJsonElements(std::string_view text, JsonShape shape, size_t max_elements,
                                  const std::function<void(JsonElement)>& on_element);

}  // namespace storepulse::common
