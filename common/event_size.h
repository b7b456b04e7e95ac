// EventSizeMeter: an event's size and nesting as the per-event limits of SPEC §2 count them,
// measured value by value while a parser reads the event (SAX style). The JSON and the msgpack
// decoders feed it, so they judge an event before building anything of it, and judge it alike.
//
// An event's SIZE is the length of its compact JSON form: the event written as JSON without
// whitespace, with every member it was sent with (unknown ones too, they were sent); strings as
// UTF-8 with only `"`, `\` and the control characters escaped (\n is 2 bytes, U+0001 is \u0001, 6
// bytes; é is its 2 UTF-8 bytes however it was written); integers in decimal; other numbers in
// their shortest round-trip form (std::to_chars: 900.0 counts as 900, 0.5 as 0.5); true, false,
// null. For an event of strings and integers that is exactly the line a compact JSON encoder
// writes (nlohmann's dump(), what `storepulse ingest` sends for a CSV row), whatever encoding and
// spacing actually carried it. msgpack values that JSON cannot hold count as: bin and ext, their
// payload bytes; a key that is not a string, the value it is.
//
// Its NESTING is the number of containers around its deepest value, its own object included:
// {"a":1} is 1 level, a sale's line fields are at 3. Past kMaxEventDepth levels the meter counts
// levels only (the event is refused for its depth, whatever its size), so its memory is bounded
// however deep the input goes.
//
// Feed one call per scalar; StartArray/StartMap … End for containers; in a map, each key (a value
// of any kind), then EndKey(), then the member's value. A copyable value; not thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/event_limits.h"
#include "common/status.h"

namespace storepulse::common {

class EventSizeMeter {
 public:
  void Null() { Scalar(4); }
  void Bool(bool value) { Scalar(value ? 4 : 5); }
  void Integer(int64_t value) {
    Scalar(value < 0 ? 1 + DecimalDigits(0 - static_cast<uint64_t>(value)) : DecimalDigits(value));
  }
  void Unsigned(uint64_t value) { Scalar(DecimalDigits(value)); }
  void Float(double value) { Scalar(ShortestFloatBytes(value)); }
  void String(std::string_view utf8) { Scalar(JsonStringBytes(utf8)); }
  void Opaque(size_t payload_bytes) { Scalar(payload_bytes); }  // msgpack bin and ext
  void StartArray() { Open(); }
  void StartMap() { Open(); }
  void End() {
    if (depth_ > 0) --depth_;
  }
  void EndKey() {
    if (depth_ <= kMaxEventDepth) bytes_ += 1;  // ':'
    after_key_ = true;
  }

  // The compact JSON length so far (frozen once the nesting passed kMaxEventDepth).
  size_t bytes() const { return bytes_; }
  // The most containers open at once so far, and the number open now.
  size_t levels() const { return levels_; }
  size_t depth() const { return depth_; }

  bool WithinLimits() const { return levels_ <= kMaxEventDepth && bytes_ <= kMaxEventBytes; }
  // OK, or why the event is refused: its nesting first, then its size — the same message
  // whichever encoding carried it.
  Status CheckLimits() const;

  // The length of `utf8` as a JSON string, quotes included.
  static size_t JsonStringBytes(std::string_view utf8);

 private:
  static size_t DecimalDigits(uint64_t value) {
    size_t digits = 1;
    for (; value >= 10; value /= 10) ++digits;
    return digits;
  }
  static size_t ShortestFloatBytes(double value);

  // Every value and key: the ',' before it unless it is the first of its container or a
  // member's value, then its own bytes.
  void Scalar(size_t json_bytes) {
    BeginValue();
    if (depth_ <= kMaxEventDepth) bytes_ += json_bytes;
  }
  void Open() {
    BeginValue();
    if (++depth_ > levels_) levels_ = depth_;
    if (depth_ > kMaxEventDepth) return;
    bytes_ += 2;  // the brackets or braces
    has_items_[depth_ - 1] = false;
  }
  void BeginValue() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (depth_ == 0 || depth_ > kMaxEventDepth) return;
    bytes_ += has_items_[depth_ - 1];  // ','
    has_items_[depth_ - 1] = true;
  }

  size_t bytes_ = 0;
  size_t levels_ = 0;
  size_t depth_ = 0;
  bool after_key_ = false;  // the next value is a member's, after its key and ':'
  std::array<bool, kMaxEventDepth> has_items_{};  // per open container (up to the limit)
};

}  // namespace storepulse::common
