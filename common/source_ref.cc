#include "common/source_ref.h"

namespace storepulse::common {

std::string_view SourceKindName(SourceKind kind) {
  return kind == SourceKind::kTill ? "till" : "counter";
}

std::optional<SourceKind> SourceKindFromName(std::string_view name) {
  if (name == "till") return SourceKind::kTill;
  if (name == "counter") return SourceKind::kCounter;
  return std::nullopt;
}

std::optional<SourceRef> SourceOf(const Event& event) {
  switch (event.type) {
    case EventType::kSale:
    case EventType::kReturn:
      if (event.till.empty()) return std::nullopt;  // a web order, a till that sends no id
      return SourceRef{SourceKind::kTill, event.till};
    case EventType::kFootfall:
      return SourceRef{SourceKind::kCounter, event.sensor};
    default:
      return std::nullopt;
  }
}

std::string SourceKey(const SourceRef& source) {
  return std::string(SourceKindName(source.kind)) + ":" + source.id;
}

std::optional<SourceRef> ParseSourceKey(std::string_view key) {
  const size_t colon = key.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::optional<SourceKind> kind = SourceKindFromName(key.substr(0, colon));
  if (!kind) return std::nullopt;
  return SourceRef{*kind, std::string(key.substr(colon + 1))};
}

std::string SourceLabel(const SourceRef& source) {
  return (source.kind == SourceKind::kTill ? "till " : "door counter ") + source.id;
}

}  // namespace storepulse::common
