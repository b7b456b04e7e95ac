// Typed reads of one field of a producer event from an EventNode (event_node.h), each returning
// the shape error of event_errors.h when the field is missing or of the wrong kind, size or name.
// Building blocks of the event decoder (event_decoder.h). Pure functions; thread-safe.
//
// Every Read* takes the field's node, or null when the field is absent (a JSON null counts as
// absent), and leaves `*out` unchanged when an optional field is absent.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/event.h"
#include "common/event_errors.h"
#include "common/event_node.h"
#include "common/status.h"

namespace storepulse::common::node_read {

enum class Need : uint8_t { kOptional, kRequired };

// Non-template halves of the readers below.
Status IntFromDouble(double value, const FieldPath& path, int64_t* out);
Status SecondsFromHours(double hours, const FieldPath& path, int64_t* seconds);
Status CheckString(std::string_view value, const FieldPath& path, Need need, size_t max_bytes);
Status CheckTime(std::string_view text, const FieldPath& path, int64_t* out);
Status NonStringKey(const FieldPath& where);
Status DuplicateField(const FieldPath& path);
inline constexpr std::string_view kTimeRule = "must be an RFC 3339 timestamp or integer Unix ms";

// A short description of any node for the `got` part of a message: -3, 2.5, "abc", an array.
template <EventNode Node>
std::string Describe(const Node& node) {
  switch (node.Kind()) {
    case NodeKind::kNull:
      return "null";
    case NodeKind::kBool:
      return node.AsBool() ? "true" : "false";
    case NodeKind::kInteger:
      return std::to_string(node.AsInt64());
    case NodeKind::kBigUnsigned:
      return std::to_string(node.AsUint64());
    case NodeKind::kFloat:
      return DescribeDouble(node.AsDouble());
    case NodeKind::kString:
      return QuoteString(node.AsString());
    case NodeKind::kArray:
      return "an array";
    case NodeKind::kMap:
      return "an object";
    case NodeKind::kOther:
      break;
  }
  return "a binary value";
}

// What an absent field means: an error when required, nothing to read when optional.
inline Status Absent(const FieldPath& path, Need need) {
  return need == Need::kRequired ? MissingField(path) : OkStatus();
}

// An integer, or a float with an integral value (3.0); either must fit int64.
template <EventNode Node>
Status ReadInt(const Node* node, const FieldPath& path, Need need, int64_t* out) {
  if (node == nullptr) return Absent(path, need);
  switch (node->Kind()) {
    case NodeKind::kInteger:
      *out = node->AsInt64();
      return OkStatus();
    case NodeKind::kFloat:
      return IntFromDouble(node->AsDouble(), path, out);
    case NodeKind::kBigUnsigned:
      return FieldError(path, "must be an integer that fits in 64 bits", Describe(*node));
    default:
      return FieldError(path, "must be an integer", Describe(*node));
  }
}

// A number of hours (integer or not), as whole seconds rounded to the nearest: 7.5 is 27000.
template <EventNode Node>
Status ReadHoursAsSeconds(const Node* node, const FieldPath& path, int64_t* seconds) {
  if (node == nullptr) return MissingField(path);
  switch (node->Kind()) {
    case NodeKind::kInteger:
      return SecondsFromHours(static_cast<double>(node->AsInt64()), path, seconds);
    case NodeKind::kFloat:
      return SecondsFromHours(node->AsDouble(), path, seconds);
    default:
      return FieldError(path, "must be a number of hours", Describe(*node));
  }
}

// A UTF-8 string of at most `max_bytes` bytes, and not empty when required.
template <EventNode Node>
Status ReadString(const Node* node, const FieldPath& path, Need need, size_t max_bytes,
                  std::string* out) {
  if (node == nullptr) return Absent(path, need);
  if (node->Kind() != NodeKind::kString) {
    return FieldError(path, "must be a string", Describe(*node));
  }
  const std::string_view value = node->AsString();
  RETURN_IF_ERROR(CheckString(value, path, need, max_bytes));
  out->assign(value);
  return OkStatus();
}

// One of the wire names `names` (event.h); `noun` names the set in the message ("unknown type").
template <typename Enum, size_t N, EventNode Node>
Status ReadEnum(const Node* node, const FieldPath& path, Need need, std::string_view noun,
                const std::array<std::string_view, N>& names, Enum* out) {
  if (node == nullptr) return Absent(path, need);
  if (node->Kind() != NodeKind::kString) {
    return FieldError(path, "must be a string", Describe(*node));
  }
  const std::optional<Enum> value = EnumFromName<Enum>(node->AsString(), names);
  if (!value) return UnknownName(path, noun, node->AsString(), names);
  *out = *value;
  return OkStatus();
}

// An RFC 3339 string (any offset) or integer Unix ms, as UTC ms.
template <EventNode Node>
Status ReadTime(const Node* node, const FieldPath& path, Need need, int64_t* out) {
  if (node == nullptr) return Absent(path, need);
  switch (node->Kind()) {
    case NodeKind::kString:
      return CheckTime(node->AsString(), path, out);
    case NodeKind::kInteger:
    case NodeKind::kFloat:
    case NodeKind::kBigUnsigned:
      return ReadInt(node, path, need, out);
    default:
      return FieldError(path, kTimeRule, Describe(*node));
  }
}

template <EventNode Node>
Status ReadBool(const Node* node, const FieldPath& path, Need need, bool* out) {
  if (node == nullptr) return Absent(path, need);
  if (node->Kind() != NodeKind::kBool) {
    return FieldError(path, "must be true or false", Describe(*node));
  }
  *out = node->AsBool();
  return OkStatus();
}

// The index of `key` in `names`, or -1.
template <size_t N>
int FindName(std::string_view key, const std::array<std::string_view, N>& names) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == key) return static_cast<int>(i);
  }
  return -1;
}

// The members of one map that a decoder knows, found in a single pass: unknown members are
// ignored (forward compatibility), null ones count as absent, a repeated one is an error.
template <EventNode Node, size_t N>
class FieldTable {
  static_assert(N <= 32, "presence is a 32-bit mask");

 public:
  // `where` is the map itself: an empty name for the event, FieldPath::Line(i) for a line.
  Status Collect(const Node& map, const std::array<std::string_view, N>& names,
                 const FieldPath& where) {
    Status status;
    map.ForEachMember([&](const std::string_view* key, const Node& value) {
      if (!status.ok()) return;
      if (key == nullptr) {
        status = NonStringKey(where);
        return;
      }
      const int i = FindName(*key, names);
      if (i < 0 || value.Kind() == NodeKind::kNull) return;
      const uint32_t bit = 1u << i;
      if ((present_ & bit) != 0) {
        status = DuplicateField(where.line >= 0 ? FieldPath::Line(where.line, names[i])
                                                : FieldPath{names[i]});
        return;
      }
      present_ |= bit;
      slots_[i] = value;
    });
    return status;
  }

  // The member named names[i], or null when absent.
  const Node* Get(size_t i) const { return (present_ >> i) & 1u ? &slots_[i] : nullptr; }

 private:
  std::array<Node, N> slots_{};
  uint32_t present_ = 0;
};

}  // namespace storepulse::common::node_read
