// Stable event ids from a source's own identifiers: the same source record always gets the same
// id, whenever and however often it is sent, so a re-sent record is a duplicate, never a second
// event.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace storepulse::edge {

// "<connector>:<part>:<part>…" when that fits an event id (64 bytes); otherwise
// "<connector>:" followed by the first 128 bits of the SHA-256 of the joined parts, in hex — so
// long source identifiers still give one stable, distinct id. ':' inside a part is escaped as
// "%3A" (and '%' as "%25"), so ("a:b","c") and ("a","b:c") never share an id.
std::string StableEventId(std::string_view connector, std::initializer_list<std::string_view> parts);

}  // namespace storepulse::edge
