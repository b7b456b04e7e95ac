// The msgpack producer encoding of a batch (SPEC §2, ZeroMQ ingest): an array of maps with the
// same field names and value types as the JSON objects. Timestamps may be RFC 3339 strings or
// integer Unix ms; EncodeMsgpackBatch writes integer ms, which decode faster. Each element is
// scanned first (msgpack_scan.h) — its size and nesting measured as the JSON codec measures them —
// and unpacked only when it is within the limits, so memory is one event at a time.

#include <string>
#include <string_view>
#include <vector>

#include "common/event_codec.h"
#include "common/event_decoder.h"
#include "common/event_encoder.h"
#include "common/event_errors.h"
#include "common/event_limits.h"
#include "common/msgpack_io.h"
#include "common/msgpack_node.h"
#include "common/msgpack_scan.h"

namespace storepulse::common {

namespace {

using Packer = msgpack::packer<StringStream>;

std::string TruncatedBody(size_t bytes) {
  return "body is not valid msgpack: truncated (" + std::to_string(bytes) + " bytes)";
}

// Counts the members WriteProducerFields writes, for the map header that precedes them.
struct FieldCounter {
  uint32_t count = 0;
  void String(std::string_view, std::string_view) { ++count; }
  void Int(std::string_view, int64_t) { ++count; }
  void Double(std::string_view, double) { ++count; }
  void Bool(std::string_view, bool) { ++count; }
  void Time(std::string_view, int64_t) { ++count; }
  void Lines(std::string_view, const std::vector<Line>&) { ++count; }
  void Credits(std::string_view, const std::vector<Credit>&) { ++count; }
};

void PackString(std::string_view value, Packer& packer) {
  packer.pack_str(static_cast<uint32_t>(value.size()));
  packer.pack_str_body(value.data(), static_cast<uint32_t>(value.size()));
}

// Packs each member WriteProducerFields writes as a key and its value.
class MapWriter {
 public:
  explicit MapWriter(Packer* packer) : packer_(*packer) {}

  void String(std::string_view key, std::string_view value) {
    PackString(key, packer_);
    PackString(value, packer_);
  }
  void Int(std::string_view key, int64_t value) {
    PackString(key, packer_);
    packer_.pack_int64(value);
  }
  void Double(std::string_view key, double value) {
    PackString(key, packer_);
    packer_.pack_double(value);
  }
  void Bool(std::string_view key, bool value) {
    PackString(key, packer_);
    value ? packer_.pack_true() : packer_.pack_false();
  }
  void Time(std::string_view key, int64_t utc_ms) { Int(key, utc_ms); }
  void Lines(std::string_view key, const std::vector<Line>& lines) {
    PackString(key, packer_);
    packer_.pack_array(static_cast<uint32_t>(lines.size()));
    for (const Line& line : lines) {
      packer_.pack_map(line.discount != 0 ? 4 : 3);
      String("sku", line.sku);
      Int("qty", line.qty);
      Int("unit_price", line.unit_price);
      if (line.discount != 0) Int("discount", line.discount);
    }
  }
  void Credits(std::string_view key, const std::vector<Credit>& credits) {
    PackString(key, packer_);
    packer_.pack_array(static_cast<uint32_t>(credits.size()));
    for (const Credit& credit : credits) {
      packer_.pack_map(2);
      String("employee", credit.employee);
      PackString("share", packer_);
      packer_.pack_double(static_cast<double>(credit.share_ppm) / kCreditShareOne);
    }
  }

 private:
  Packer& packer_;
};

void PackEvent(const Event& event, Packer& packer) {
  FieldCounter counter;
  WriteProducerFields(event, counter);
  packer.pack_map(counter.count);
  MapWriter writer(&packer);
  WriteProducerFields(event, writer);
}

}  // namespace

StatusOr<std::vector<DecodedEvent>> DecodeMsgpackBatch(std::string_view bytes) {
  if (bytes.size() > kMaxBatchBytes) return BatchTooManyBytes(bytes.size());
  ASSIGN_OR_RETURN(const MsgpackHead head, ReadMsgpackHead(bytes, "body"));
  if (head.value.type != msgpack::type::ARRAY) {
    return InvalidArgument("body must be a msgpack array of event maps, got " +
                           node_read::Describe(MsgpackNode(head.value)));
  }
  const size_t count = head.value.via.array.size;
  size_t offset = head.header_bytes;
  // Every element takes at least one byte.
  if (count > bytes.size() - offset) return InvalidArgument(TruncatedBody(bytes.size()));
  if (count > kMaxBatchEvents) return BatchTooManyEvents(count);
  std::vector<DecodedEvent> events;
  events.reserve(count);
  msgpack::zone zone;  // one element's objects at a time
  for (size_t i = 0; i < count; ++i) {
    ASSIGN_OR_RETURN(const MsgpackScan scan, ScanMsgpackValue(bytes, offset, "body"));
    const std::string_view element = bytes.substr(offset, scan.end - offset);
    offset = scan.end;
    Status limits = scan.meter.CheckLimits();
    if (!limits.ok()) {
      events.push_back(RefusedElement(scan.id, std::move(limits)));
      continue;
    }
    ASSIGN_OR_RETURN(const msgpack::object object, UnpackBounded(element, "event", zone));
    events.push_back(DecodeEvent(MsgpackNode(object)));
    zone.clear();
  }
  if (offset != bytes.size()) {
    return InvalidArgument("body is not valid msgpack: " + std::to_string(bytes.size() - offset) +
                           " bytes after the end of the value");
  }
  return events;
}

std::string EncodeMsgpackBatch(const std::vector<Event>& events) {
  std::string out;
  StringStream stream(&out);
  Packer packer(stream);
  packer.pack_array(static_cast<uint32_t>(events.size()));
  for (const Event& event : events) PackEvent(event, packer);
  return out;
}

}  // namespace storepulse::common
