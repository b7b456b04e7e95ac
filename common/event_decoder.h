// DecodeEvent: one producer event of SPEC §2 — a JSON object or a msgpack map, seen through an
// EventNode adapter (json_node.h, msgpack_node.h) — into an Event. The one decoder of both
// formats, so JSON and msgpack accept exactly the same events with the same messages.
//
// It checks SHAPE only: the fields each type requires are present, every field has the right
// kind, enum names are known, strings fit their sizes (id 1–64 bytes, others at most 256, valid
// UTF-8), `lines` holds 1–1000 lines, `ts`/`promised` are RFC 3339 strings or integer Unix ms.
// Values (ranges, the node's store and clock) are ValidateEvent's (event_validator.h). Fields that
// do not belong to the event's type, and unknown fields, are ignored (forward compatibility); a
// null field counts as absent. An event's size and nesting are judged before this decoder sees it,
// while the codec parses it (EventSizeMeter, event_size.h): an event over those limits is never
// built. Stateless templates; thread-safe.
//
// Required fields per type (the others are optional, with Event's defaults):
//   every type: id, type, ts          sale: txn, lines          return: txn, lines
//   (a sale's optional `credits`: 1–10 objects {employee, share}, each member required)
//   footfall: sensor, period_s, in, out                         stock: sku, kind, qty
//   order: order, kind, status, and reason when status is cancelled     feedback: scale, score
//   labour: period_s, and exactly one of staff (an integer) and hours (a number, rounded to the
//           second: hours_s)
//   customer_link: customer, alias
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "common/credit_share.h"
#include "common/event.h"
#include "common/event_codec.h"
#include "common/event_errors.h"
#include "common/event_limits.h"
#include "common/event_node.h"
#include "common/node_readers.h"
#include "common/status.h"
#include "common/utf8.h"

namespace storepulse::common {
namespace event_decode {

using node_read::Need;

// Every top-level field a producer event may carry; the enum indexes kFieldNames.
enum Field : uint8_t {
  kId,
  kType,
  kTs,
  kStore,
  kTxn,
  kChannel,
  kTill,
  kEmployee,
  kCustomer,
  kLines,
  kOriginalTxn,
  kOriginalChannel,
  kReason,
  kRestock,
  kSensor,
  kPeriodS,
  kIn,
  kOut,
  kSku,
  kKind,
  kQty,
  kOrder,
  kStatus,
  kSource,
  kPromised,
  kScale,
  kScore,
  kCredits,
  kStaff,
  kHours,
  kAlias,
  kFieldCount
};
inline constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "id",       "type",     "ts",       "store",    "txn",          "channel",
    "till",     "employee", "customer", "lines",    "original_txn", "original_channel",
    "reason",   "restock",  "sensor",   "period_s", "in",           "out",
    "sku",      "kind",     "qty",      "order",    "status",       "source",
    "promised", "scale",    "score",    "credits",  "staff",        "hours",
    "alias"};

enum LineField : uint8_t { kLineSku, kLineQty, kLineUnitPrice, kLineDiscount, kLineFieldCount };
inline constexpr std::array<std::string_view, kLineFieldCount> kLineFieldNames = {
    "sku", "qty", "unit_price", "discount"};

enum CreditField : uint8_t { kCreditEmployee, kCreditShare, kCreditFieldCount };
inline constexpr std::array<std::string_view, kCreditFieldCount> kCreditFieldNames = {"employee",
                                                                                      "share"};

// `value` when it is usable as an id (valid UTF-8, 1–64 bytes), else empty.
inline std::string UsableId(std::string_view value) {
  if (value.size() > kMaxIdBytes || !IsValidUtf8(value)) return {};
  return std::string(value);
}

// Decodes one event into event_; the id is kept best effort even when decoding fails.
template <EventNode Node>
class EventDecoder {
 public:
  Status Decode(const Node& node) {
    if (node.Kind() != NodeKind::kMap) {
      return InvalidArgument("event must be an object, got " + node_read::Describe(node));
    }
    RETURN_IF_ERROR(fields_.Collect(node, kFieldNames, FieldPath{}));
    RETURN_IF_ERROR(DecodeCommon());
    switch (event_.type) {
      case EventType::kSale:
        return DecodeSale();
      case EventType::kReturn:
        return DecodeReturn();
      case EventType::kFootfall:
        return DecodeFootfall();
      case EventType::kStock:
        return DecodeStock();
      case EventType::kOrder:
        return DecodeOrder();
      case EventType::kFeedback:
        return DecodeFeedback();
      case EventType::kLabour:
        return DecodeLabour();
      case EventType::kCustomerLink:
        return DecodeCustomerLink();
    }
    return Internal("unhandled event type");
  }

  // The `id` field when it is a usable string (valid UTF-8, 1–64 bytes), else empty.
  std::string BestEffortId() const {
    const Node* id = fields_.Get(kId);
    if (id == nullptr || id->Kind() != NodeKind::kString) return {};
    return UsableId(id->AsString());
  }

  Event TakeEvent() { return std::move(event_); }

 private:
  const Node* Get(Field f) const { return fields_.Get(f); }
  static FieldPath PathOf(Field f) { return FieldPath{kFieldNames[f]}; }

  Status Text(Field f, Need need, std::string* out) const {
    return node_read::ReadString(Get(f), PathOf(f), need, kMaxTextBytes, out);
  }
  Status Integer(Field f, int64_t* out) const {
    return node_read::ReadInt(Get(f), PathOf(f), Need::kRequired, out);
  }
  template <typename Enum, size_t N>
  Status Name(Field f, Need need, std::string_view noun,
              const std::array<std::string_view, N>& names, Enum* out) const {
    return node_read::ReadEnum(Get(f), PathOf(f), need, noun, names, out);
  }

  Status DecodeCommon() {
    RETURN_IF_ERROR(
        node_read::ReadString(Get(kId), PathOf(kId), Need::kRequired, kMaxIdBytes, &event_.id));
    RETURN_IF_ERROR(Name(kType, Need::kRequired, "type", kEventTypeNames, &event_.type));
    RETURN_IF_ERROR(node_read::ReadTime(Get(kTs), PathOf(kTs), Need::kRequired, &event_.ts_ms));
    return Text(kStore, Need::kOptional, &event_.store);
  }

  Status DecodeSale() {
    RETURN_IF_ERROR(Text(kTxn, Need::kRequired, &event_.txn));
    RETURN_IF_ERROR(Name(kChannel, Need::kOptional, "channel", kChannelNames, &event_.channel));
    RETURN_IF_ERROR(Text(kTill, Need::kOptional, &event_.till));
    RETURN_IF_ERROR(Text(kEmployee, Need::kOptional, &event_.employee));
    RETURN_IF_ERROR(Text(kCustomer, Need::kOptional, &event_.customer));
    RETURN_IF_ERROR(DecodeLines());
    return DecodeCredits();
  }

  // A return also takes a sale's optional `channel` and `till`: where the return was made.
  Status DecodeReturn() {
    RETURN_IF_ERROR(Text(kOriginalTxn, Need::kOptional, &event_.original_txn));
    RETURN_IF_ERROR(Name(kOriginalChannel, Need::kOptional, "channel", kChannelNames,
                         &event_.original_channel));
    RETURN_IF_ERROR(Text(kReason, Need::kOptional, &event_.reason));
    RETURN_IF_ERROR(
        node_read::ReadBool(Get(kRestock), PathOf(kRestock), Need::kOptional, &event_.restock));
    return DecodeSale();
  }

  Status DecodeFootfall() {
    RETURN_IF_ERROR(Text(kSensor, Need::kRequired, &event_.sensor));
    RETURN_IF_ERROR(Integer(kPeriodS, &event_.period_s));
    RETURN_IF_ERROR(Integer(kIn, &event_.in));
    return Integer(kOut, &event_.out);
  }

  Status DecodeStock() {
    RETURN_IF_ERROR(Text(kSku, Need::kRequired, &event_.sku));
    RETURN_IF_ERROR(
        Name(kKind, Need::kRequired, "stock kind", kStockKindNames, &event_.stock_kind));
    return Integer(kQty, &event_.qty);
  }

  Status DecodeOrder() {
    RETURN_IF_ERROR(Text(kOrder, Need::kRequired, &event_.order));
    RETURN_IF_ERROR(
        Name(kKind, Need::kRequired, "order kind", kOrderKindNames, &event_.order_kind));
    RETURN_IF_ERROR(Name(kStatus, Need::kRequired, "status", kOrderStatusNames, &event_.status));
    RETURN_IF_ERROR(Name(kSource, Need::kOptional, "source", kOrderSourceNames, &event_.source));
    if (event_.status == OrderStatus::kCancelled && Get(kReason) == nullptr) {
      return InvalidArgument("field 'reason': missing, required when status is cancelled");
    }
    RETURN_IF_ERROR(Text(kReason, Need::kOptional, &event_.reason));
    if (Get(kPromised) == nullptr) return OkStatus();
    int64_t promised_ms = 0;
    RETURN_IF_ERROR(
        node_read::ReadTime(Get(kPromised), PathOf(kPromised), Need::kRequired, &promised_ms));
    event_.promised_ms = promised_ms;
    return OkStatus();
  }

  Status DecodeFeedback() {
    RETURN_IF_ERROR(Name(kScale, Need::kRequired, "scale", kFeedbackScaleNames, &event_.scale));
    RETURN_IF_ERROR(Integer(kScore, &event_.score));
    RETURN_IF_ERROR(Name(kChannel, Need::kOptional, "channel", kChannelNames, &event_.channel));
    return Text(kCustomer, Need::kOptional, &event_.customer);
  }

  // Which of `staff` and `hours` is given is a shape rule (both or neither is refused here); their
  // ranges are the validator's.
  Status DecodeLabour() {
    RETURN_IF_ERROR(Text(kEmployee, Need::kOptional, &event_.employee));
    RETURN_IF_ERROR(Integer(kPeriodS, &event_.period_s));
    const bool has_staff = Get(kStaff) != nullptr, has_hours = Get(kHours) != nullptr;
    if (has_staff == has_hours) return StaffOrHours(has_staff);
    int64_t value = 0;
    if (has_staff) {
      RETURN_IF_ERROR(Integer(kStaff, &value));
      event_.staff = value;
      return OkStatus();
    }
    RETURN_IF_ERROR(node_read::ReadHoursAsSeconds(Get(kHours), PathOf(kHours), &value));
    event_.hours_s = value;
    return OkStatus();
  }

  Status DecodeCustomerLink() {
    RETURN_IF_ERROR(Text(kCustomer, Need::kRequired, &event_.customer));
    return Text(kAlias, Need::kRequired, &event_.alias);
  }

  Status DecodeLines() {
    const Node* lines = Get(kLines);
    const FieldPath path = PathOf(kLines);
    if (lines == nullptr) return MissingField(path);
    if (lines->Kind() != NodeKind::kArray) {
      return FieldError(path, "must be an array of lines", node_read::Describe(*lines));
    }
    const size_t count = lines->Size();
    if (count < 1 || count > kMaxLines) {
      return FieldError(path, "must hold 1 to " + std::to_string(kMaxLines) + " lines",
                        std::to_string(count));
    }
    event_.lines.resize(count);
    for (size_t i = 0; i < count; ++i) {
      RETURN_IF_ERROR(DecodeLine(lines->At(i), static_cast<int64_t>(i), &event_.lines[i]));
    }
    return OkStatus();
  }

  // A return may carry `credits` too, decoded alike: the validator then says why it may not.
  Status DecodeCredits() {
    const Node* credits = Get(kCredits);
    const FieldPath path = PathOf(kCredits);
    if (credits == nullptr) return OkStatus();
    if (credits->Kind() != NodeKind::kArray) {
      return FieldError(path, "must be an array of {employee, share}",
                        node_read::Describe(*credits));
    }
    const size_t count = credits->Size();
    if (count < 1 || count > kMaxCredits) {
      return FieldError(path, "must hold 1 to " + std::to_string(kMaxCredits) + " credits",
                        std::to_string(count));
    }
    event_.credits.resize(count);
    for (size_t i = 0; i < count; ++i) {
      RETURN_IF_ERROR(DecodeCredit(credits->At(i), static_cast<int64_t>(i), &event_.credits[i]));
    }
    return OkStatus();
  }

  static Status DecodeCredit(const Node& node, int64_t index, Credit* credit) {
    const FieldPath where = FieldPath::Credit(index);
    if (node.Kind() != NodeKind::kMap) {
      return FieldError(where, "must be an object", node_read::Describe(node));
    }
    node_read::FieldTable<Node, kCreditFieldCount> fields;
    RETURN_IF_ERROR(fields.Collect(node, kCreditFieldNames, where));
    RETURN_IF_ERROR(node_read::ReadString(fields.Get(kCreditEmployee),
                                          FieldPath::Credit(index, "employee"), Need::kRequired,
                                          kMaxTextBytes, &credit->employee));
    const FieldPath share_path = FieldPath::Credit(index, "share");
    const Node* share = fields.Get(kCreditShare);
    if (share == nullptr) return MissingField(share_path);
    double value = 0;
    if (share->Kind() == NodeKind::kInteger) {
      value = static_cast<double>(share->AsInt64());
    } else if (share->Kind() == NodeKind::kFloat) {
      value = share->AsDouble();
    } else if (share->Kind() == NodeKind::kBigUnsigned) {
      return FieldError(share_path, "must be a number more than 0 and at most 1",
                        node_read::Describe(*share));
    } else {
      return FieldError(share_path, "must be a number", node_read::Describe(*share));
    }
    ASSIGN_OR_RETURN(credit->share_ppm, ShareInMillionths(value, share_path));
    return OkStatus();
  }

  static Status DecodeLine(const Node& node, int64_t index, Line* line) {
    const FieldPath where = FieldPath::Line(index);
    if (node.Kind() != NodeKind::kMap) {
      return FieldError(where, "must be an object", node_read::Describe(node));
    }
    node_read::FieldTable<Node, kLineFieldCount> fields;
    RETURN_IF_ERROR(fields.Collect(node, kLineFieldNames, where));
    const auto path = [index](LineField f) { return FieldPath::Line(index, kLineFieldNames[f]); };
    RETURN_IF_ERROR(node_read::ReadString(fields.Get(kLineSku), path(kLineSku), Need::kRequired,
                                          kMaxTextBytes, &line->sku));
    RETURN_IF_ERROR(
        node_read::ReadInt(fields.Get(kLineQty), path(kLineQty), Need::kRequired, &line->qty));
    RETURN_IF_ERROR(node_read::ReadInt(fields.Get(kLineUnitPrice), path(kLineUnitPrice),
                                       Need::kRequired, &line->unit_price));
    return node_read::ReadInt(fields.Get(kLineDiscount), path(kLineDiscount), Need::kOptional,
                              &line->discount);
  }

  node_read::FieldTable<Node, kFieldCount> fields_;
  Event event_;
};

}  // namespace event_decode

// One producer event into an Event (see the top of this file for the rules).
template <EventNode Node>
DecodedEvent DecodeEvent(const Node& node) {
  event_decode::EventDecoder<Node> decoder;
  Status status = decoder.Decode(node);
  std::string id = decoder.BestEffortId();
  if (!status.ok()) return DecodedEvent{std::move(id), std::move(status)};
  return DecodedEvent{std::move(id), decoder.TakeEvent()};
}

// An element of a batch that the per-event limits refused while it was parsed (event_size.h), so
// it was never built: `id` is its `id` member as the parser saw it, kept when usable.
inline DecodedEvent RefusedElement(std::string_view id, Status why) {
  return DecodedEvent{event_decode::UsableId(id), std::move(why)};
}

}  // namespace storepulse::common
