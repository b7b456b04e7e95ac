// The store's sources as its events name them: a till (the `till` of a sale or a return) and a
// people counter (the `sensor` of a footfall event). Source health (docs/CONNECTORS.md, "Source
// health") knows them from what they send: the edge's live view of them (edge/source_registry.h)
// and each local day's completeness (common/kpi/source_completeness.h) use these names. Plain
// values; pure functions; thread-safe.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "common/event.h"

namespace storepulse::common {

enum class SourceKind : uint8_t { kTill, kCounter };

// How a kind is written in JSON and on the wire ("till", "counter"), and how a person calls it.
std::string_view SourceKindName(SourceKind kind);
std::optional<SourceKind> SourceKindFromName(std::string_view name);

struct SourceRef {
  SourceKind kind = SourceKind::kTill;
  std::string id;  // the till's or the sensor's id, as the events carry it
  auto operator<=>(const SourceRef&) const = default;
};

// The source an event comes from: the till of a sale or a return that names one, the sensor of a
// footfall event; nothing for any other event.
std::optional<SourceRef> SourceOf(const Event& event);

// "till:3", "counter:door 2": the key of the source's rows in the day breakdown (dims_day,
// Dimension::kSource). The id is everything after the first ':'.
std::string SourceKey(const SourceRef& source);
std::optional<SourceRef> ParseSourceKey(std::string_view key);

// "till 3", "door counter 2": the source as a message to a person names it.
std::string SourceLabel(const SourceRef& source);

}  // namespace storepulse::common
