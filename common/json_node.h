// BasicJsonNode: one nlohmann::json value seen as an EventNode (event_node.h), so the one event
// decoder reads JSON. A view: the json document must outlive it. Read-only; thread-compatible.
//
// Only the JSON codec includes this header (STYLE rule 5: third-party headers stay in their
// adapter).
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/event_node.h"

namespace storepulse::common {

template <typename Json>
class BasicJsonNode {
 public:
  BasicJsonNode() = default;
  explicit BasicJsonNode(const Json& value) : value_(&value) {}

  NodeKind Kind() const {
    using nlohmann::detail::value_t;
    switch (value_->type()) {
      case value_t::null:
        return NodeKind::kNull;
      case value_t::boolean:
        return NodeKind::kBool;
      case value_t::number_integer:
        return NodeKind::kInteger;
      case value_t::number_unsigned:
        return AsUint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
                   ? NodeKind::kBigUnsigned
                   : NodeKind::kInteger;
      case value_t::number_float:
        return NodeKind::kFloat;
      case value_t::string:
        return NodeKind::kString;
      case value_t::array:
        return NodeKind::kArray;
      case value_t::object:
        return NodeKind::kMap;
      default:
        return NodeKind::kOther;
    }
  }

  bool AsBool() const { return *value_->template get_ptr<const bool*>(); }
  int64_t AsInt64() const {
    if (value_->is_number_unsigned()) return static_cast<int64_t>(AsUint64());
    return *value_->template get_ptr<const int64_t*>();
  }
  uint64_t AsUint64() const { return *value_->template get_ptr<const uint64_t*>(); }
  double AsDouble() const { return *value_->template get_ptr<const double*>(); }
  std::string_view AsString() const { return *value_->template get_ptr<const std::string*>(); }
  size_t Size() const { return value_->size(); }
  BasicJsonNode At(size_t i) const { return BasicJsonNode((*value_)[i]); }

  template <typename F>
  void ForEachMember(F&& f) const {
    for (const auto& [key, value] : *value_->template get_ptr<const typename Json::object_t*>()) {
      const std::string_view key_view = key;
      f(&key_view, BasicJsonNode(value));
    }
  }

 private:
  const Json* value_ = nullptr;
};

using JsonNode = BasicJsonNode<nlohmann::json>;
static_assert(EventNode<JsonNode>);

}  // namespace storepulse::common
