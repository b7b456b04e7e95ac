#include "common/protocol/messages.h"

#include <msgpack.hpp>

#include "common/event_limits.h"

namespace storepulse::common::wire {

namespace {

enum Type : int64_t {
  kHello = 1,
  kWelcome,
  kBatch,
  kAck,
  kHeartbeat,
  kError,
  kDayCertificate,
  kDayVerdict,
  kDayEvents,
  kDocument,
  kDocumentAck,
  kStockRequest,
  kStockAnswer
};

struct StringBuffer {
  std::string* out;
  void write(const char* data, size_t size) { out->append(data, size); }
};
using Packer = msgpack::packer<StringBuffer>;

void PackHeader(Packer& p, Type type, uint32_t fields) {
  p.pack_array(2 + fields);
  p.pack(kProtocolVersion);
  p.pack(static_cast<int64_t>(type));
}

struct EncodeVisitor {
  Packer& p;
  void operator()(const Hello& m) {
    PackHeader(p, kHello, 4);
    p.pack(m.store).pack(m.incarnation).pack(m.last_seq).pack(m.version);
  }
  void operator()(const Welcome& m) {
    // Without capabilities the welcome is the 3-field one every version-1 edge reads.
    PackHeader(p, kWelcome, m.capabilities.empty() ? 3 : 4);
    p.pack(m.incarnation).pack(m.acked_seq).pack(m.clock_ms);
    if (!m.capabilities.empty()) p.pack(m.capabilities);
  }
  void operator()(const Batch& m) {
    // Without pruned_to the batch is the 3-field one every version-1 central reads.
    PackHeader(p, kBatch, m.pruned_to > 0 ? 4 : 3);
    p.pack(m.incarnation).pack(m.first_seq);
    p.pack_array(static_cast<uint32_t>(m.events.size()));
    for (const std::string& e : m.events) {
      p.pack_bin(static_cast<uint32_t>(e.size()));
      p.pack_bin_body(e.data(), static_cast<uint32_t>(e.size()));
    }
    if (m.pruned_to > 0) p.pack(m.pruned_to);
  }
  void operator()(const Ack& m) {
    PackHeader(p, kAck, 2);
    p.pack(m.incarnation).pack(m.acked_seq);
  }
  void operator()(const Heartbeat& m) {
    // Without silent sources nor documents the heartbeat is the 9-field one every version-1
    // central reads; with documents, the silent sources go too (even none) to keep the positions.
    PackHeader(p, kHeartbeat, m.documents ? 11 : m.silent_sources.empty() ? 9 : 10);
    p.pack(m.clock_ms).pack(m.last_seq).pack(m.acked_seq).pack(m.backlog_events);
    p.pack(m.backlog_value).pack(m.oldest_unsent_age_ms).pack(m.disk_free_bytes);
    p.pack(m.disk_accepting).pack(m.version);
    if (m.silent_sources.empty() && !m.documents) return;
    p.pack_array(static_cast<uint32_t>(m.silent_sources.size()));
    for (const SilentSource& s : m.silent_sources) {
      p.pack_array(4);
      p.pack(s.kind).pack(s.id).pack(s.last_seen_ms).pack(s.silent_since_ms);
    }
    if (m.documents) p.pack(*m.documents);
  }
  void operator()(const Document& m) {
    PackHeader(p, kDocument, 7);
    p.pack(m.kind).pack(m.version).pack(m.base_version).pack(m.part).pack(m.last);
    p.pack_array(static_cast<uint32_t>(m.rows.size() * 2));  // key, row, key, row…
    for (const auto& [key, row] : m.rows) p.pack(key).pack(row);
    p.pack(m.removals);
  }
  void operator()(const DocumentAck& m) {
    PackHeader(p, kDocumentAck, 3);
    p.pack(m.kind).pack(m.version).pack(m.detail);
  }
  void operator()(const StockRequest& m) {
    PackHeader(p, kStockRequest, 2);
    p.pack(m.request_id).pack(m.sku);
  }
  void operator()(const StockAnswer& m) {
    PackHeader(p, kStockAnswer, 3);
    p.pack(m.request_id).pack(m.status).pack(m.body);
  }
  void operator()(const Error& m) {
    PackHeader(p, kError, 4);
    p.pack(m.code).pack(m.message).pack(m.incarnation).pack(m.acked_seq);
  }
  void operator()(const DayCertificate& m) {
    PackHeader(p, kDayCertificate, 4);
    p.pack(m.day).pack(m.events);
    p.pack_map(static_cast<uint32_t>(m.totals.size()));
    for (const auto& [name, value] : m.totals) p.pack(name).pack(value);
    p.pack(m.ids_hash);
  }
  void operator()(const DayVerdict& m) {
    PackHeader(p, kDayVerdict, 3);
    p.pack(m.day).pack(m.verdict).pack(m.detail);
  }
  void operator()(const DayEvents& m) {
    PackHeader(p, kDayEvents, 4);
    p.pack(m.tag).pack(m.day).pack(m.first_seq);
    p.pack_array(static_cast<uint32_t>(m.events.size()));
    for (const std::string& e : m.events) {
      p.pack_bin(static_cast<uint32_t>(e.size()));
      p.pack_bin_body(e.data(), static_cast<uint32_t>(e.size()));
    }
  }
};

// Positional reader over a decoded array; every getter checks the type, never throws.
class Fields {
 public:
  explicit Fields(const msgpack::object_array& array) : array_(array) {}
  bool Has(uint32_t n) const { return array_.size >= n; }
  bool Int(uint32_t i, int64_t* out) const {
    const msgpack::object& o = array_.ptr[i];
    if (o.type == msgpack::type::POSITIVE_INTEGER) {
      if (o.via.u64 > static_cast<uint64_t>(INT64_MAX)) return false;
      *out = static_cast<int64_t>(o.via.u64);
      return true;
    }
    if (o.type == msgpack::type::NEGATIVE_INTEGER) {
      *out = o.via.i64;
      return true;
    }
    return false;
  }
  bool Str(uint32_t i, std::string* out) const {
    const msgpack::object& o = array_.ptr[i];
    if (o.type != msgpack::type::STR) return false;
    out->assign(o.via.str.ptr, o.via.str.size);
    return true;
  }
  bool Bool(uint32_t i, bool* out) const {
    const msgpack::object& o = array_.ptr[i];
    if (o.type != msgpack::type::BOOLEAN) return false;
    *out = o.via.boolean;
    return true;
  }
  bool SilentSources(uint32_t i, std::vector<SilentSource>* out) const {
    const msgpack::object& o = array_.ptr[i];
    if (o.type != msgpack::type::ARRAY) return false;
    out->reserve(o.via.array.size);
    for (uint32_t k = 0; k < o.via.array.size; ++k) {
      const msgpack::object& e = o.via.array.ptr[k];
      if (e.type != msgpack::type::ARRAY || e.via.array.size < 4) return false;
      const Fields entry(e.via.array);
      SilentSource& s = out->emplace_back();
      if (!entry.Str(0, &s.kind) || !entry.Str(1, &s.id) || !entry.Int(2, &s.last_seen_ms) ||
          !entry.Int(3, &s.silent_since_ms)) {
        return false;
      }
    }
    return true;
  }
  bool Strs(uint32_t i, std::vector<std::string>* out) const {
    const msgpack::object& o = array_.ptr[i];
    if (o.type != msgpack::type::ARRAY) return false;
    for (uint32_t k = 0; k < o.via.array.size; ++k) {
      const msgpack::object& e = o.via.array.ptr[k];
      if (e.type != msgpack::type::STR) return false;
      out->emplace_back(e.via.str.ptr, e.via.str.size);
    }
    return true;
  }
  // An array of an even number of strings: key, value, key, value…
  bool StrPairs(uint32_t i, std::vector<std::pair<std::string, std::string>>* out) const {
    const msgpack::object& o = array_.ptr[i];
    if (o.type != msgpack::type::ARRAY || o.via.array.size % 2 != 0) return false;
    out->reserve(o.via.array.size / 2);
    for (uint32_t k = 0; k < o.via.array.size; k += 2) {
      const msgpack::object& key = o.via.array.ptr[k];
      const msgpack::object& value = o.via.array.ptr[k + 1];
      if (key.type != msgpack::type::STR || value.type != msgpack::type::STR) return false;
      out->emplace_back(std::string(key.via.str.ptr, key.via.str.size),
                        std::string(value.via.str.ptr, value.via.str.size));
    }
    return true;
  }
  // A map of string → string; a key given twice is malformed.
  bool StrMap(uint32_t i, std::map<std::string, std::string>* out) const {
    const msgpack::object& o = array_.ptr[i];
    if (o.type != msgpack::type::MAP) return false;
    for (uint32_t k = 0; k < o.via.map.size; ++k) {
      const msgpack::object_kv& kv = o.via.map.ptr[k];
      if (kv.key.type != msgpack::type::STR || kv.val.type != msgpack::type::STR) return false;
      if (!out->emplace(std::string(kv.key.via.str.ptr, kv.key.via.str.size),
                        std::string(kv.val.via.str.ptr, kv.val.via.str.size))
               .second) {
        return false;
      }
    }
    return true;
  }
  // A map of string → integer; a key given twice is malformed.
  bool IntMap(uint32_t i, std::map<std::string, int64_t>* out) const {
    const msgpack::object& o = array_.ptr[i];
    if (o.type != msgpack::type::MAP) return false;
    for (uint32_t k = 0; k < o.via.map.size; ++k) {
      const msgpack::object_kv& kv = o.via.map.ptr[k];
      if (kv.key.type != msgpack::type::STR) return false;
      int64_t value = 0;
      if (kv.val.type == msgpack::type::POSITIVE_INTEGER && kv.val.via.u64 <= uint64_t(INT64_MAX)) {
        value = static_cast<int64_t>(kv.val.via.u64);
      } else if (kv.val.type == msgpack::type::NEGATIVE_INTEGER) {
        value = kv.val.via.i64;
      } else {
        return false;
      }
      if (!out->emplace(std::string(kv.key.via.str.ptr, kv.key.via.str.size), value).second) {
        return false;
      }
    }
    return true;
  }
  bool Blobs(uint32_t i, std::vector<std::string>* out) const {
    const msgpack::object& o = array_.ptr[i];
    if (o.type != msgpack::type::ARRAY) return false;
    out->reserve(o.via.array.size);
    for (uint32_t k = 0; k < o.via.array.size; ++k) {
      const msgpack::object& e = o.via.array.ptr[k];
      if (e.type != msgpack::type::BIN) return false;
      out->emplace_back(e.via.bin.ptr, e.via.bin.size);
    }
    return true;
  }

 private:
  const msgpack::object_array& array_;
};

StatusOr<Message> DecodeFields(int64_t type, const Fields& f) {
  bool ok = false;
  switch (type) {
    case kHello: {
      Hello m;
      ok = f.Has(6) && f.Str(2, &m.store) && f.Str(3, &m.incarnation) && f.Int(4, &m.last_seq) &&
           f.Str(5, &m.version);
      if (ok) return Message(std::move(m));
      break;
    }
    case kWelcome: {
      Welcome m;
      ok = f.Has(5) && f.Str(2, &m.incarnation) && f.Int(3, &m.acked_seq) &&
           f.Int(4, &m.clock_ms) && (!f.Has(6) || f.Strs(5, &m.capabilities));
      if (ok) return Message(std::move(m));
      break;
    }
    case kBatch: {
      Batch m;
      ok = f.Has(5) && f.Str(2, &m.incarnation) && f.Int(3, &m.first_seq) &&
           f.Blobs(4, &m.events) && (!f.Has(6) || f.Int(5, &m.pruned_to));
      if (ok) return Message(std::move(m));
      break;
    }
    case kAck: {
      Ack m;
      ok = f.Has(4) && f.Str(2, &m.incarnation) && f.Int(3, &m.acked_seq);
      if (ok) return Message(std::move(m));
      break;
    }
    case kHeartbeat: {
      Heartbeat m;
      ok = f.Has(11) && f.Int(2, &m.clock_ms) && f.Int(3, &m.last_seq) && f.Int(4, &m.acked_seq) &&
           f.Int(5, &m.backlog_events) && f.Int(6, &m.backlog_value) &&
           f.Int(7, &m.oldest_unsent_age_ms) && f.Int(8, &m.disk_free_bytes) &&
           f.Bool(9, &m.disk_accepting) && f.Str(10, &m.version) &&
           (!f.Has(12) || f.SilentSources(11, &m.silent_sources));
      if (ok && f.Has(13)) {
        ok = f.StrMap(12, &m.documents.emplace());
      }
      if (ok) return Message(std::move(m));
      break;
    }
    case kError: {
      Error m;
      ok = f.Has(6) && f.Str(2, &m.code) && f.Str(3, &m.message) && f.Str(4, &m.incarnation) &&
           f.Int(5, &m.acked_seq);
      if (ok) return Message(std::move(m));
      break;
    }
    case kDayCertificate: {
      DayCertificate m;
      ok = f.Has(6) && f.Str(2, &m.day) && f.Int(3, &m.events) && f.IntMap(4, &m.totals) &&
           f.Str(5, &m.ids_hash);
      if (ok) return Message(std::move(m));
      break;
    }
    case kDayVerdict: {
      DayVerdict m;
      ok = f.Has(5) && f.Str(2, &m.day) && f.Str(3, &m.verdict) && f.Str(4, &m.detail);
      if (ok) return Message(std::move(m));
      break;
    }
    case kDayEvents: {
      DayEvents m;
      ok = f.Has(6) && f.Str(2, &m.tag) && f.Str(3, &m.day) && f.Int(4, &m.first_seq) &&
           f.Blobs(5, &m.events);
      if (ok) return Message(std::move(m));
      break;
    }
    case kDocument: {
      Document m;
      ok = f.Has(9) && f.Str(2, &m.kind) && f.Str(3, &m.version) && f.Str(4, &m.base_version) &&
           f.Int(5, &m.part) && f.Bool(6, &m.last) && f.StrPairs(7, &m.rows) &&
           f.Strs(8, &m.removals);
      if (ok) return Message(std::move(m));
      break;
    }
    case kDocumentAck: {
      DocumentAck m;
      ok = f.Has(5) && f.Str(2, &m.kind) && f.Str(3, &m.version) && f.Str(4, &m.detail);
      if (ok) return Message(std::move(m));
      break;
    }
    case kStockRequest: {
      StockRequest m;
      ok = f.Has(4) && f.Int(2, &m.request_id) && f.Str(3, &m.sku);
      if (ok) return Message(std::move(m));
      break;
    }
    case kStockAnswer: {
      StockAnswer m;
      ok = f.Has(5) && f.Int(2, &m.request_id) && f.Int(3, &m.status) && f.Str(4, &m.body);
      if (ok) return Message(std::move(m));
      break;
    }
    default:
      return InvalidArgument("unknown message type " + std::to_string(type));
  }
  return InvalidArgument("malformed message of type " + std::to_string(type));
}

}  // namespace

std::string Encode(const Message& message) {
  std::string out;
  StringBuffer buffer{&out};
  Packer packer(buffer);
  std::visit(EncodeVisitor{packer}, message);
  return out;
}

StatusOr<Message> Decode(std::string_view bytes) {
  msgpack::object_handle handle;
  try {
    // Limits keep hostile frames from allocating without bound (depth, element counts): a batch
    // holds at most kMaxBatchEvents events (edges send 2,000), each a bin of at most 1 MiB.
    msgpack::unpack_limit limit(/*array=*/kMaxBatchEvents, /*map=*/64, /*str=*/1 << 20,
                                /*bin=*/1 << 20, /*ext=*/0, /*depth=*/4);
    handle = msgpack::unpack(bytes.data(), bytes.size(), nullptr, nullptr, limit);
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("not a msgpack message: ") + e.what());
  }
  const msgpack::object& root = handle.get();
  if (root.type != msgpack::type::ARRAY || root.via.array.size < 2) {
    return InvalidArgument("not a storepulse message (expected [version, type, …])");
  }
  Fields fields(root.via.array);
  int64_t version = 0, type = 0;
  if (!fields.Int(0, &version) || !fields.Int(1, &type)) {
    return InvalidArgument("not a storepulse message (version and type must be integers)");
  }
  if (version != kProtocolVersion) {
    return FailedPrecondition("protocol version " + std::to_string(version) +
                              " is not supported (this side speaks " +
                              std::to_string(kProtocolVersion) + "): upgrade the older side");
  }
  return DecodeFields(type, fields);
}

}  // namespace storepulse::common::wire
