// MsgpackNode: one msgpack::object seen as an EventNode (event_node.h), so the one event decoder
// reads msgpack. A view: the object's zone (and, when strings were unpacked by reference, the
// input bytes) must outlive it. Read-only; thread-compatible.
//
// Only the msgpack codecs include this header (STYLE rule 5).
#pragma once

#include <cstdint>
#include <limits>
#include <msgpack.hpp>
#include <string_view>

#include "common/event_node.h"

namespace storepulse::common {

class MsgpackNode {
 public:
  MsgpackNode() = default;
  explicit MsgpackNode(const msgpack::object& object) : object_(&object) {}

  NodeKind Kind() const {
    switch (object_->type) {
      case msgpack::type::NIL:
        return NodeKind::kNull;
      case msgpack::type::BOOLEAN:
        return NodeKind::kBool;
      case msgpack::type::POSITIVE_INTEGER:
        return object_->via.u64 > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
                   ? NodeKind::kBigUnsigned
                   : NodeKind::kInteger;
      case msgpack::type::NEGATIVE_INTEGER:
        return NodeKind::kInteger;
      case msgpack::type::FLOAT32:
      case msgpack::type::FLOAT64:
        return NodeKind::kFloat;
      case msgpack::type::STR:
        return NodeKind::kString;
      case msgpack::type::ARRAY:
        return NodeKind::kArray;
      case msgpack::type::MAP:
        return NodeKind::kMap;
      default:
        return NodeKind::kOther;
    }
  }

  bool AsBool() const { return object_->via.boolean; }
  int64_t AsInt64() const { return object_->via.i64; }  // u64 <= INT64_MAX reads the same
  uint64_t AsUint64() const { return object_->via.u64; }
  double AsDouble() const { return object_->via.f64; }
  std::string_view AsString() const { return {object_->via.str.ptr, object_->via.str.size}; }
  size_t Size() const {
    return object_->type == msgpack::type::ARRAY ? object_->via.array.size : object_->via.map.size;
  }
  MsgpackNode At(size_t i) const { return MsgpackNode(object_->via.array.ptr[i]); }

  template <typename F>
  void ForEachMember(F&& f) const {
    const msgpack::object_map& map = object_->via.map;
    for (uint32_t i = 0; i < map.size; ++i) {
      const msgpack::object& key = map.ptr[i].key;
      if (key.type == msgpack::type::STR) {
        const std::string_view key_view(key.via.str.ptr, key.via.str.size);
        f(&key_view, MsgpackNode(map.ptr[i].val));
      } else {
        f(nullptr, MsgpackNode(map.ptr[i].val));
      }
    }
  }

 private:
  const msgpack::object* object_ = nullptr;
};

static_assert(EventNode<MsgpackNode>);

}  // namespace storepulse::common
