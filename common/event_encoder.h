// WriteProducerFields: which fields a producer encoding of an Event carries (SPEC §2), in one
// template walked by the JSON and the msgpack encoders (event_codec_json.cc,
// event_codec_msgpack.cc) so that both carry exactly the same fields, the ones DecodeEvent
// (event_decoder.h) reads back:
//
//   - the common fields id, type, ts, and store when not empty;
//   - then only the fields of the event's type: required ones and enums always (an order's
//     `reason` when it is cancelled), optional strings only when not empty, `promised` only when
//     set, `credits` only when not empty.
//
// So Encode→Decode yields an equal Event whenever the members that do not belong to the event's
// type hold their defaults (as every decoded event's do). Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/event.h"

namespace storepulse::common {

// A Writer has String(key, std::string_view), Int(key, int64_t), Double(key, double), Bool(key,
// bool), Time(key, int64_t utc_ms), Lines(key, const std::vector<Line>&) and
// Credits(key, const std::vector<Credit>&) (each share as a number: millionths / 1e6).
template <typename Writer>
void WriteProducerFields(const Event& e, Writer& w);

namespace event_encode {

template <typename Writer>
void OptionalString(std::string_view key, const std::string& value, Writer& w) {
  if (!value.empty()) w.String(key, value);
}

template <typename Writer>
void SaleFields(const Event& e, Writer& w) {
  w.String("txn", e.txn);
  w.String("channel", ChannelName(e.channel));
  OptionalString("till", e.till, w);
  OptionalString("employee", e.employee, w);
  OptionalString("customer", e.customer, w);
  w.Lines("lines", e.lines);
  if (!e.credits.empty()) w.Credits("credits", e.credits);
}

template <typename Writer>
void ReturnFields(const Event& e, Writer& w) {
  SaleFields(e, w);
  OptionalString("original_txn", e.original_txn, w);
  w.String("original_channel", ChannelName(e.original_channel));
  OptionalString("reason", e.reason, w);
  w.Bool("restock", e.restock);
}

template <typename Writer>
void OrderFields(const Event& e, Writer& w) {
  w.String("order", e.order);
  w.String("kind", NameOf(e.order_kind, kOrderKindNames));
  w.String("status", NameOf(e.status, kOrderStatusNames));
  w.String("source", NameOf(e.source, kOrderSourceNames));
  // Required when cancelled (the decoder refuses a cancellation without it), so written even empty.
  if (e.status == OrderStatus::kCancelled) {
    w.String("reason", e.reason);
  } else {
    OptionalString("reason", e.reason, w);
  }
  if (e.promised_ms) w.Time("promised", *e.promised_ms);
}

// `hours` goes back as the number of hours its seconds make (27000 → 7.5), which the decoder
// rounds back to the same seconds.
template <typename Writer>
void LabourFields(const Event& e, Writer& w) {
  OptionalString("employee", e.employee, w);
  w.Int("period_s", e.period_s);
  if (e.staff) w.Int("staff", *e.staff);
  if (e.hours_s) w.Double("hours", static_cast<double>(*e.hours_s) / 3600.0);
}

}  // namespace event_encode

template <typename Writer>
void WriteProducerFields(const Event& e, Writer& w) {
  w.String("id", e.id);
  w.String("type", TypeName(e.type));
  w.Time("ts", e.ts_ms);
  event_encode::OptionalString("store", e.store, w);
  switch (e.type) {
    case EventType::kSale:
      event_encode::SaleFields(e, w);
      break;
    case EventType::kReturn:
      event_encode::ReturnFields(e, w);
      break;
    case EventType::kFootfall:
      w.String("sensor", e.sensor);
      w.Int("period_s", e.period_s);
      w.Int("in", e.in);
      w.Int("out", e.out);
      break;
    case EventType::kStock:
      w.String("sku", e.sku);
      w.String("kind", NameOf(e.stock_kind, kStockKindNames));
      w.Int("qty", e.qty);
      break;
    case EventType::kOrder:
      event_encode::OrderFields(e, w);
      break;
    case EventType::kFeedback:
      w.String("scale", NameOf(e.scale, kFeedbackScaleNames));
      w.Int("score", e.score);
      w.String("channel", ChannelName(e.channel));
      event_encode::OptionalString("customer", e.customer, w);
      break;
    case EventType::kLabour:
      event_encode::LabourFields(e, w);
      break;
    case EventType::kCustomerLink:
      w.String("customer", e.customer);
      w.String("alias", e.alias);
      break;
  }
}

}  // namespace storepulse::common
