// The event model: one flat struct for the event types of SPEC §2 and issue 15's `labour` and
// `customer_link`.
//
// Fields that several types share (`channel`, `customer`, `reason`, `lines`, …) are one member
// each; a member that does not belong to an event's type keeps its default. Money is integer minor
// units, times are UTC milliseconds since the Unix epoch. Plain value type: copy, move and share
// freely.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace storepulse::common {

enum class EventType : uint8_t {
  kSale,
  kReturn,
  kFootfall,
  kStock,
  kOrder,
  kFeedback,
  kLabour,
  kCustomerLink
};
enum class Channel : uint8_t { kStore, kWeb, kClickCollect, kShipFromStore, kMobile };
enum class StockKind : uint8_t { kReceipt, kAdjustment, kShrink, kTransferIn, kTransferOut, kCount };
enum class OrderKind : uint8_t { kClickCollect, kShipFromStore, kReserve };
enum class OrderStatus : uint8_t { kCreated, kReady, kCollected, kShipped, kDelivered, kCancelled };
enum class OrderSource : uint8_t { kStore, kWarehouse };
enum class FeedbackScale : uint8_t { kNps, kCsat };

// Wire names of each enum, indexed by the enum's value. These strings are part of the input contract.
inline constexpr std::array<std::string_view, 8> kEventTypeNames = {
    "sale", "return", "footfall", "stock", "order", "feedback", "labour", "customer_link"};
inline constexpr std::array<std::string_view, 5> kChannelNames = {
    "store", "web", "click_collect", "ship_from_store", "mobile"};
inline constexpr std::array<std::string_view, 6> kStockKindNames = {
    "receipt", "adjustment", "shrink", "transfer_in", "transfer_out", "count"};
inline constexpr std::array<std::string_view, 3> kOrderKindNames = {
    "click_collect", "ship_from_store", "reserve"};
inline constexpr std::array<std::string_view, 6> kOrderStatusNames = {
    "created", "ready", "collected", "shipped", "delivered", "cancelled"};
inline constexpr std::array<std::string_view, 2> kOrderSourceNames = {"store", "warehouse"};
inline constexpr std::array<std::string_view, 2> kFeedbackScaleNames = {"nps", "csat"};
inline constexpr std::array<std::string_view, 3> kCancelReasonNames = {"stock_error", "customer",
                                                                       "other"};

template <typename Enum, size_t N>
std::string_view NameOf(Enum value, const std::array<std::string_view, N>& names) {
  return names[static_cast<size_t>(value)];
}
// The enum value whose wire name is `name`, or nothing.
template <typename Enum, size_t N>
std::optional<Enum> EnumFromName(std::string_view name,
                                 const std::array<std::string_view, N>& names) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

inline std::string_view TypeName(EventType t) { return NameOf(t, kEventTypeNames); }
inline std::string_view ChannelName(Channel c) { return NameOf(c, kChannelNames); }

// One line of a sale or a return.
struct Line {
  std::string sku;
  int64_t qty = 0;         // units, >= 1
  int64_t unit_price = 0;  // minor units, >= 0
  int64_t discount = 0;    // minor units for the whole line, >= 0

  int64_t Value() const { return qty * unit_price - discount; }
  bool operator==(const Line&) const = default;
};

// One contributor to a shared sale (docs/INGEST.md, "Shared credit"): an employee and their share
// of the sale, in millionths (500000 is a half). The shares of a sale sum to 1,000,000 within
// kCreditShareTolerancePpm (event_limits.h).
struct Credit {
  std::string employee;
  int64_t share_ppm = 0;

  bool operator==(const Credit&) const = default;
};

struct Event {
  // Common to every type.
  std::string id;  // idempotency key, unique within the store
  EventType type = EventType::kSale;
  int64_t ts_ms = 0;  // UTC ms; for footfall and labour the start of the interval
  std::string store;  // empty when the producer left it out

  // sale, return (and `channel`/`customer` for feedback).
  std::string txn;
  Channel channel = Channel::kStore;
  std::string till;
  std::string employee;
  std::string customer;
  std::vector<Line> lines;
  // sale only: who shares its credit; empty when the whole sale is `employee`'s.
  std::vector<Credit> credits;

  // return
  std::string original_txn;
  Channel original_channel = Channel::kStore;
  std::string reason;  // free text for a return; one of kCancelReasonNames for a cancelled order
  bool restock = true;

  // footfall (`period_s` also for labour)
  std::string sensor;
  int64_t period_s = 0;
  int64_t in = 0;
  int64_t out = 0;

  // stock (`qty`: signed delta for adjustment, absolute on-hand for count, positive otherwise)
  std::string sku;
  StockKind stock_kind = StockKind::kReceipt;
  int64_t qty = 0;

  // order
  std::string order;
  OrderKind order_kind = OrderKind::kClickCollect;
  OrderStatus status = OrderStatus::kCreated;
  OrderSource source = OrderSource::kStore;
  std::optional<int64_t> promised_ms;

  // feedback
  FeedbackScale scale = FeedbackScale::kNps;
  int64_t score = 0;

  // labour (and `employee`, `period_s`): exactly one of `staff`, the people on the floor through
  // the interval, and `hours`, the hours worked in it, kept as staff-seconds rounded to the second.
  std::optional<int64_t> staff;
  std::optional<int64_t> hours_s;
  // customer_link: `customer` and `alias` are two ids of one person (links are transitive).
  std::string alias;

  // Σ line values (sale, return). REQUIRES: a validated event (ValidateEvent), whose sums are
  // bounded far inside int64.
  int64_t LinesValue() const;
  int64_t LinesUnits() const;
  // The staff-seconds of a labour interval: staff × period_s, or the hours given.
  // REQUIRES: a validated labour event (bounded: at most kMaxStaff × kMaxPeriodS).
  int64_t LabourStaffSeconds() const;

  bool operator==(const Event&) const = default;
};

}  // namespace storepulse::common
