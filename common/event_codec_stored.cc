// The stored encoding of an event: how events sit in the edge and central databases and travel on
// the replication wire. It is positional, to be compact and fast, and versioned.
//
// Format version 1: one msgpack array whose elements are, in this order
//
//    0  format version: 1                 15  sensor             str
//    1  id                str             16  period_s           int
//    2  type              uint (*)        17  in                 int
//    3  ts_ms             int             18  out                int
//    4  store             str             19  sku                str
//    5  txn               str             20  stock_kind         uint (*)
//    6  channel           uint (*)        21  qty                int
//    7  till              str             22  order              str
//    8  employee          str             23  order_kind         uint (*)
//    9  customer          str             24  status             uint (*)
//   10  lines             array (**)      25  source             uint (*)
//   11  original_txn      str             26  promised_ms        nil or int
//   12  original_channel  uint (*)        27  scale              uint (*)
//   13  reason            str             28  score              int
//   14  restock           bool             29  credits            array (***)
//                                         30  staff              nil or int (labour)
//                                         31  hours_s            nil or int (labour)
//                                         32  alias              str (customer_link)
//
//   (*)  the enum's numeric value, i.e. the index of its wire name in the arrays of event.h, which
//        is why those arrays may only ever grow at their end.
//   (**) each line an array [sku str, qty int, unit_price int, discount int].
//   (***) each credit an array [employee str, share_ppm int].
//   Elements 29–32 were appended by issue 15: an event stored before it has 29 elements and reads
//   with no credits, no labour and no alias.
//
// Every member is written whatever the event's type. A reader accepts more than 32 elements and
// ignores those it does not know, so a later build may append members without a new version;
// anything else (reordering, retyping) needs version 2. Decoding checks the types and the shape
// limits of event_limits.h (string sizes and UTF-8, line count, enum ranges) since the bytes may
// come from the network, but not values: that is ValidateEvent's job.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/event_codec.h"
#include "common/event_limits.h"
#include "common/msgpack_io.h"
#include "common/utf8.h"

namespace storepulse::common {

namespace {

constexpr uint64_t kStoredVersion = 1;
constexpr uint32_t kStoredElementsBeforeIssue15 = 29;  // the fewest a version-1 event has
constexpr uint32_t kWrittenElements = 33;
constexpr uint32_t kLineElements = 4;
constexpr uint32_t kCreditElements = 2;

using Packer = msgpack::packer<StringStream>;

void PackString(const std::string& value, Packer& packer) {
  packer.pack_str(static_cast<uint32_t>(value.size()));
  packer.pack_str_body(value.data(), static_cast<uint32_t>(value.size()));
}

template <typename Enum>
void PackEnum(Enum value, Packer& packer) {
  packer.pack_uint8(static_cast<uint8_t>(value));
}

void PackLines(const std::vector<Line>& lines, Packer& packer) {
  packer.pack_array(static_cast<uint32_t>(lines.size()));
  for (const Line& line : lines) {
    packer.pack_array(kLineElements);
    PackString(line.sku, packer);
    packer.pack_int64(line.qty);
    packer.pack_int64(line.unit_price);
    packer.pack_int64(line.discount);
  }
}

void PackCredits(const std::vector<Credit>& credits, Packer& packer) {
  packer.pack_array(static_cast<uint32_t>(credits.size()));
  for (const Credit& credit : credits) {
    packer.pack_array(kCreditElements);
    PackString(credit.employee, packer);
    packer.pack_int64(credit.share_ppm);
  }
}

void PackStored(const Event& e, Packer& p) {
  p.pack_array(kWrittenElements);
  p.pack_uint64(kStoredVersion);
  PackString(e.id, p);
  PackEnum(e.type, p);
  p.pack_int64(e.ts_ms);
  PackString(e.store, p);
  PackString(e.txn, p);
  PackEnum(e.channel, p);
  PackString(e.till, p);
  PackString(e.employee, p);
  PackString(e.customer, p);
  PackLines(e.lines, p);
  PackString(e.original_txn, p);
  PackEnum(e.original_channel, p);
  PackString(e.reason, p);
  e.restock ? p.pack_true() : p.pack_false();
  PackString(e.sensor, p);
  p.pack_int64(e.period_s);
  p.pack_int64(e.in);
  p.pack_int64(e.out);
  PackString(e.sku, p);
  PackEnum(e.stock_kind, p);
  p.pack_int64(e.qty);
  PackString(e.order, p);
  PackEnum(e.order_kind, p);
  PackEnum(e.status, p);
  PackEnum(e.source, p);
  e.promised_ms ? p.pack_int64(*e.promised_ms) : p.pack_nil();
  PackEnum(e.scale, p);
  p.pack_int64(e.score);
  PackCredits(e.credits, p);
  e.staff ? p.pack_int64(*e.staff) : p.pack_nil();
  e.hours_s ? p.pack_int64(*e.hours_s) : p.pack_nil();
  PackString(e.alias, p);
}

Status Corrupt(std::string_view element, std::string_view rule) {
  return InvalidArgument("stored event is corrupt: " + std::string(element) + " " +
                         std::string(rule));
}

// Reads the elements of one stored array in order, checking each one's type.
class StoredReader {
 public:
  // Reads array.ptr[first], array.ptr[first + 1], …; REQUIRES: the array has enough elements.
  StoredReader(const msgpack::object_array& array, uint32_t first) : array_(array), index_(first) {}

  Status String(std::string_view name, size_t max_bytes, std::string* out) {
    const msgpack::object& o = Next();
    if (o.type != msgpack::type::STR) return Corrupt(name, "must be a string");
    const std::string_view value(o.via.str.ptr, o.via.str.size);
    if (value.size() > max_bytes || !IsValidUtf8(value)) {
      return Corrupt(name, "must be UTF-8 of at most " + std::to_string(max_bytes) + " bytes");
    }
    out->assign(value);
    return OkStatus();
  }

  Status Int(std::string_view name, int64_t* out) { return ReadInt(Next(), name, out); }

  // An enum stored as its value; the wire names are passed for their count, the value's bound.
  template <typename Enum, size_t N>
  Status Name(std::string_view name, const std::array<std::string_view, N>& /*names*/, Enum* out) {
    const msgpack::object& o = Next();
    if (o.type != msgpack::type::POSITIVE_INTEGER || o.via.u64 >= N) {
      return Corrupt(name, "must be an integer below " + std::to_string(N));
    }
    *out = static_cast<Enum>(o.via.u64);
    return OkStatus();
  }

  Status Bool(std::string_view name, bool* out) {
    const msgpack::object& o = Next();
    if (o.type != msgpack::type::BOOLEAN) return Corrupt(name, "must be a boolean");
    *out = o.via.boolean;
    return OkStatus();
  }

  Status OptionalInt(std::string_view name, std::optional<int64_t>* out) {
    const msgpack::object& o = Next();
    if (o.type == msgpack::type::NIL) return OkStatus();
    int64_t value = 0;
    RETURN_IF_ERROR(ReadInt(o, name, &value));
    *out = value;
    return OkStatus();
  }

  Status Lines(std::vector<Line>* out) {
    const msgpack::object& o = Next();
    if (o.type != msgpack::type::ARRAY || o.via.array.size > kMaxLines) {
      return Corrupt("lines", "must be an array of at most " + std::to_string(kMaxLines));
    }
    out->resize(o.via.array.size);
    for (uint32_t i = 0; i < o.via.array.size; ++i) {
      RETURN_IF_ERROR(ReadLine(o.via.array.ptr[i], &(*out)[i]));
    }
    return OkStatus();
  }

  Status Credits(std::vector<Credit>* out) {
    const msgpack::object& o = Next();
    if (o.type != msgpack::type::ARRAY || o.via.array.size > kMaxCredits) {
      return Corrupt("credits", "must be an array of at most " + std::to_string(kMaxCredits));
    }
    out->resize(o.via.array.size);
    for (uint32_t i = 0; i < o.via.array.size; ++i) {
      const msgpack::object& credit = o.via.array.ptr[i];
      if (credit.type != msgpack::type::ARRAY || credit.via.array.size != kCreditElements) {
        return Corrupt("credit", "must be an array of 2 elements");
      }
      StoredReader reader(credit.via.array, 0);
      RETURN_IF_ERROR(reader.String("credit employee", kMaxTextBytes, &(*out)[i].employee));
      RETURN_IF_ERROR(reader.Int("credit share_ppm", &(*out)[i].share_ppm));
    }
    return OkStatus();
  }

 private:
  const msgpack::object& Next() { return array_.ptr[index_++]; }

  static Status ReadInt(const msgpack::object& o, std::string_view name, int64_t* out) {
    const bool fits = o.type == msgpack::type::NEGATIVE_INTEGER ||
                      (o.type == msgpack::type::POSITIVE_INTEGER &&
                       o.via.u64 <= static_cast<uint64_t>(INT64_MAX));
    if (!fits) return Corrupt(name, "must be a 64-bit integer");
    *out = o.via.i64;
    return OkStatus();
  }

  static Status ReadLine(const msgpack::object& o, Line* line) {
    if (o.type != msgpack::type::ARRAY || o.via.array.size != kLineElements) {
      return Corrupt("line", "must be an array of 4 elements");
    }
    StoredReader reader(o.via.array, 0);
    RETURN_IF_ERROR(reader.String("line sku", kMaxTextBytes, &line->sku));
    RETURN_IF_ERROR(reader.Int("line qty", &line->qty));
    RETURN_IF_ERROR(reader.Int("line unit_price", &line->unit_price));
    return reader.Int("line discount", &line->discount);
  }

  const msgpack::object_array& array_;
  uint32_t index_;
};

Status ReadStored(StoredReader& r, uint32_t elements, Event* e) {
  RETURN_IF_ERROR(r.String("id", kMaxIdBytes, &e->id));
  RETURN_IF_ERROR(r.Name("type", kEventTypeNames, &e->type));
  RETURN_IF_ERROR(r.Int("ts_ms", &e->ts_ms));
  RETURN_IF_ERROR(r.String("store", kMaxTextBytes, &e->store));
  RETURN_IF_ERROR(r.String("txn", kMaxTextBytes, &e->txn));
  RETURN_IF_ERROR(r.Name("channel", kChannelNames, &e->channel));
  RETURN_IF_ERROR(r.String("till", kMaxTextBytes, &e->till));
  RETURN_IF_ERROR(r.String("employee", kMaxTextBytes, &e->employee));
  RETURN_IF_ERROR(r.String("customer", kMaxTextBytes, &e->customer));
  RETURN_IF_ERROR(r.Lines(&e->lines));
  RETURN_IF_ERROR(r.String("original_txn", kMaxTextBytes, &e->original_txn));
  RETURN_IF_ERROR(r.Name("original_channel", kChannelNames, &e->original_channel));
  RETURN_IF_ERROR(r.String("reason", kMaxTextBytes, &e->reason));
  RETURN_IF_ERROR(r.Bool("restock", &e->restock));
  RETURN_IF_ERROR(r.String("sensor", kMaxTextBytes, &e->sensor));
  RETURN_IF_ERROR(r.Int("period_s", &e->period_s));
  RETURN_IF_ERROR(r.Int("in", &e->in));
  RETURN_IF_ERROR(r.Int("out", &e->out));
  RETURN_IF_ERROR(r.String("sku", kMaxTextBytes, &e->sku));
  RETURN_IF_ERROR(r.Name("stock_kind", kStockKindNames, &e->stock_kind));
  RETURN_IF_ERROR(r.Int("qty", &e->qty));
  RETURN_IF_ERROR(r.String("order", kMaxTextBytes, &e->order));
  RETURN_IF_ERROR(r.Name("order_kind", kOrderKindNames, &e->order_kind));
  RETURN_IF_ERROR(r.Name("status", kOrderStatusNames, &e->status));
  RETURN_IF_ERROR(r.Name("source", kOrderSourceNames, &e->source));
  RETURN_IF_ERROR(r.OptionalInt("promised_ms", &e->promised_ms));
  RETURN_IF_ERROR(r.Name("scale", kFeedbackScaleNames, &e->scale));
  RETURN_IF_ERROR(r.Int("score", &e->score));
  if (elements < kWrittenElements) return OkStatus();  // stored before issue 15's members
  RETURN_IF_ERROR(r.Credits(&e->credits));
  RETURN_IF_ERROR(r.OptionalInt("staff", &e->staff));
  RETURN_IF_ERROR(r.OptionalInt("hours_s", &e->hours_s));
  return r.String("alias", kMaxTextBytes, &e->alias);
}

}  // namespace

void AppendStored(const Event& event, std::string* out) {
  StringStream stream(out);
  Packer packer(stream);
  PackStored(event, packer);
}

std::string EncodeStored(const Event& event) {
  std::string out;
  out.reserve(64 + event.id.size() + event.lines.size() * 32);
  AppendStored(event, &out);
  return out;
}

StatusOr<Event> DecodeStored(std::string_view bytes) {
  // One zone per thread, cleared after each event: no allocation per call in the steady state.
  thread_local msgpack::zone zone;
  struct ZoneClearer {
    ~ZoneClearer() { zone.clear(); }
  } clear_on_return;
  ASSIGN_OR_RETURN(const msgpack::object root, UnpackBounded(bytes, "stored event", zone));
  if (root.type != msgpack::type::ARRAY || root.via.array.size < 1) {
    return InvalidArgument("stored event is corrupt: not a msgpack array");
  }
  const msgpack::object& version = root.via.array.ptr[0];
  if (version.type != msgpack::type::POSITIVE_INTEGER || version.via.u64 != kStoredVersion) {
    return InvalidArgument("stored event has an unknown format version (this build reads 1)");
  }
  if (root.via.array.size < kStoredElementsBeforeIssue15) {
    return InvalidArgument("stored event is corrupt: " + std::to_string(root.via.array.size) +
                           " elements, version 1 has at least " +
                           std::to_string(kStoredElementsBeforeIssue15));
  }
  StoredReader reader(root.via.array, /*first=*/1);
  Event event;
  RETURN_IF_ERROR(ReadStored(reader, root.via.array.size, &event));
  return event;
}

}  // namespace storepulse::common
