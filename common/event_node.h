// EventNode: what the one event decoder (event_decoder.h) needs from a parsed document, so JSON
// (json_node.h, over nlohmann::json) and msgpack (msgpack_node.h, over msgpack::object) share it.
//
// A node is a cheap, copyable view of one value inside a parsed document; the document must
// outlive every node taken from it. A default-constructed node refers to nothing and may only be
// assigned to. Nodes are read-only, so concurrent reads of one document are safe.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace storepulse::common {

enum class NodeKind : uint8_t {
  kNull,
  kBool,
  kInteger,      // fits int64
  kBigUnsigned,  // an unsigned integer above INT64_MAX
  kFloat,
  kString,
  kArray,
  kMap,   // a JSON object or a msgpack map
  kOther  // msgpack bin/ext and anything else an event never holds
};

// The adapter contract. The As* accessors REQUIRE the matching Kind(); Size() REQUIRES kArray or
// kMap; At() REQUIRES kArray and i < Size(). ForEachMember(f) REQUIRES kMap and calls
// f(const std::string_view* key, const Node& value) for each member in document order, with a
// null `key` when the member's key is not a string (msgpack allows any key).
template <typename Node>
concept EventNode = std::default_initializable<Node> && std::copyable<Node> &&
    requires(const Node& node, size_t i) {
  { node.Kind() } -> std::same_as<NodeKind>;
  { node.AsBool() } -> std::same_as<bool>;
  { node.AsInt64() } -> std::same_as<int64_t>;
  { node.AsUint64() } -> std::same_as<uint64_t>;
  { node.AsDouble() } -> std::same_as<double>;
  { node.AsString() } -> std::same_as<std::string_view>;
  { node.Size() } -> std::same_as<size_t>;
  { node.At(i) } -> std::same_as<Node>;
  node.ForEachMember([](const std::string_view*, const Node&) {});
};

}  // namespace storepulse::common
