#include "common/msgpack_scan.h"

#include <exception>
#include <optional>
#include <string>

#include "common/msgpack_io.h"

namespace storepulse::common {

namespace {

// The visitor callbacks msgpack-cxx's parser requires that these visitors do not need.
struct QuietVisitor {
  bool start_array_item() { return true; }
  bool end_array_item() { return true; }
  bool start_map_value() { return true; }
  bool end_map_value() { return true; }
  bool referenced() const { return false; }
  void set_referenced(bool) {}
  void parse_error(size_t, size_t) { parse_error_seen = true; }
  void insufficient_bytes(size_t, size_t) { truncated = true; }

  bool parse_error_seen = false;
  bool truncated = false;
};

// Records the first value (a scalar whole, a container's header) and stops the parser.
class HeadVisitor : public QuietVisitor {
 public:
  bool visit_nil() { return Stop(msgpack::object()); }
  bool visit_boolean(bool v) { return Stop(msgpack::object(v)); }
  bool visit_positive_integer(uint64_t v) { return Stop(msgpack::object(v)); }
  bool visit_negative_integer(int64_t v) { return Stop(msgpack::object(v)); }
  bool visit_float32(float v) { return Stop(msgpack::object(v)); }
  bool visit_float64(double v) { return Stop(msgpack::object(v)); }
  bool visit_str(const char* v, uint32_t size) {
    msgpack::object object;
    object.type = msgpack::type::STR;
    object.via.str = {size, v};
    return Stop(object);
  }
  bool visit_bin(const char*, uint32_t) { return Stop(Typed(msgpack::type::BIN)); }
  bool visit_ext(const char*, uint32_t) { return Stop(Typed(msgpack::type::EXT)); }
  bool start_array(uint32_t size) {
    msgpack::object object = Typed(msgpack::type::ARRAY);
    object.via.array.size = size;
    return Stop(object);
  }
  bool start_map(uint32_t size) {
    msgpack::object object = Typed(msgpack::type::MAP);
    object.via.map.size = size;
    return Stop(object);
  }
  bool end_array() { return true; }
  bool end_map() { return true; }
  bool start_map_key() { return true; }
  bool end_map_key() { return true; }

  std::optional<msgpack::object> head;

 private:
  static msgpack::object Typed(msgpack::type::object_type type) {
    msgpack::object object;
    object.type = type;
    object.via.array = {0, nullptr};
    return object;
  }
  bool Stop(const msgpack::object& object) {
    head = object;
    return false;
  }
};

// Feeds every value to the scan's meter and notes the "id" member; stops past kMaxMsgpackDepth.
class ScanVisitor : public QuietVisitor {
 public:
  explicit ScanVisitor(MsgpackScan* scan) : scan_(*scan), meter_(scan->meter) {}

  bool visit_nil() {
    return Value([&] { meter_.Null(); });
  }
  bool visit_boolean(bool v) {
    return Value([&] { meter_.Bool(v); });
  }
  bool visit_positive_integer(uint64_t v) {
    return Value([&] { meter_.Unsigned(v); });
  }
  bool visit_negative_integer(int64_t v) {
    return Value([&] { meter_.Integer(v); });
  }
  bool visit_float32(float v) {
    return Value([&] { meter_.Float(v); });
  }
  bool visit_float64(double v) {
    return Value([&] { meter_.Float(v); });
  }
  bool visit_str(const char* v, uint32_t size) {
    const std::string_view text(v, size);
    if (in_key_) id_key_ = meter_.depth() == 1 && text == "id";
    if (!in_key_ && id_next_) scan_.id = text;
    return Value([&] { meter_.String(text); });
  }
  bool visit_bin(const char*, uint32_t size) {
    return Value([&] { meter_.Opaque(size); });
  }
  bool visit_ext(const char*, uint32_t size) {
    return Value([&] { meter_.Opaque(size); });
  }
  bool start_array(uint32_t) {
    return Open([&] { meter_.StartArray(); });
  }
  bool start_map(uint32_t) {
    return Open([&] { meter_.StartMap(); });
  }
  bool end_array() { return Close(); }
  bool end_map() { return Close(); }
  bool start_map_key() {
    in_key_ = true;
    id_key_ = false;
    return true;
  }
  bool end_map_key() {
    in_key_ = false;
    meter_.EndKey();
    id_next_ = id_key_;
    return true;
  }

  bool too_deep = false;

 private:
  template <typename Measure>
  bool Value(Measure measure) {
    measure();
    if (!in_key_) id_next_ = false;
    return true;
  }
  template <typename Measure>
  bool Open(Measure measure) {
    Value(measure);
    if (meter_.depth() <= kMaxMsgpackDepth) return true;
    too_deep = true;
    return false;  // before the parser pushes another level
  }
  bool Close() {
    meter_.End();
    return true;
  }

  MsgpackScan& scan_;
  EventSizeMeter& meter_;
  bool in_key_ = false;   // the value being visited is a map key
  bool id_key_ = false;   // that key is the top level "id"
  bool id_next_ = false;  // the value being visited is the top level "id" member's
};

std::string NotMsgpack(std::string_view what, std::string_view why) {
  return std::string(what) + " is not valid msgpack: " + std::string(why);
}

std::string Truncated(std::string_view what, size_t bytes) {
  return NotMsgpack(what, "truncated (" + std::to_string(bytes) + " bytes)");
}

// The array header's bytes (msgpack spec: fixarray 0x90–0x9f, array 16 0xdc, array 32 0xdd).
size_t ArrayHeaderBytes(unsigned char first) {
  if (first == 0xdc) return 3;
  if (first == 0xdd) return 5;
  return 1;
}

}  // namespace

StatusOr<MsgpackHead> ReadMsgpackHead(std::string_view bytes, std::string_view what) {
  if (bytes.empty()) return InvalidArgument(std::string(what) + " is empty, not msgpack");
  HeadVisitor visitor;
  try {
    size_t offset = 0;
    (void)msgpack::parse(bytes.data(), bytes.size(), offset, visitor);
  } catch (const std::exception& e) {
    return InvalidArgument(NotMsgpack(what, e.what()));
  }
  if (!visitor.head) {
    if (visitor.parse_error_seen) return InvalidArgument(NotMsgpack(what, "parse error"));
    return InvalidArgument(Truncated(what, bytes.size()));
  }
  MsgpackHead head{*visitor.head, 0};
  if (head.value.type == msgpack::type::ARRAY) {
    head.header_bytes = ArrayHeaderBytes(static_cast<unsigned char>(bytes[0]));
  }
  return head;
}

StatusOr<MsgpackScan> ScanMsgpackValue(std::string_view bytes, size_t offset,
                                       std::string_view what) {
  MsgpackScan scan;
  ScanVisitor visitor(&scan);
  size_t end = offset;
  bool parsed = false;
  try {
    parsed = msgpack::parse(bytes.data(), bytes.size(), end, visitor);
  } catch (const std::exception& e) {
    return InvalidArgument(NotMsgpack(what, e.what()));
  }
  if (visitor.too_deep) {
    return InvalidArgument(std::string(what) + " nests deeper than " +
                           std::to_string(kMaxMsgpackDepth) + " levels");
  }
  if (!parsed) {
    if (visitor.parse_error_seen) return InvalidArgument(NotMsgpack(what, "parse error"));
    return InvalidArgument(Truncated(what, bytes.size()));
  }
  scan.end = end;
  return scan;
}

}  // namespace storepulse::common
