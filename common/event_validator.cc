// The value rules of SPEC §2. Each failure is "field 'x': <rule>, got <value>" (event_errors.h),
// the first broken rule in field order.
//
// Besides values, it re-checks the two shape invariants the stores and the KPI sums rely on — id
// 1–64 bytes, 1–1000 lines for sales and returns — so that an Event built in code rather than
// decoded cannot slip past them. It bounds money where it enters: a line's qty*unit_price and an
// event's value at most kMaxLineValue and kMaxEventValue (event_limits.h), so that one event
// cannot take a total anywhere near the int64 range.

#include "common/event_validator.h"

#include <string>
#include <string_view>

#include "common/credit_share.h"
#include "common/event_errors.h"
#include "common/event_limits.h"

namespace storepulse::common {

namespace {

// a + b, saturated at the int64 range (the clock is trusted, but not to be far from overflow).
int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return b > 0 ? INT64_MAX : INT64_MIN;
  return sum;
}

std::string RangeRule(int64_t lo, int64_t hi) {
  return "must be between " + std::to_string(lo) + " and " + std::to_string(hi);
}

Status CheckRange(const FieldPath& path, int64_t value, int64_t lo, int64_t hi,
                  std::string_view context = {}) {
  if (value >= lo && value <= hi) return OkStatus();
  return FieldError(path, RangeRule(lo, hi) + std::string(context), std::to_string(value));
}

// Seconds as hours, shortest form: 27000 → "7.5".
std::string DescribeHours(int64_t seconds) {
  return DescribeDouble(static_cast<double>(seconds) / 3600.0);
}

std::string DescribeAllowance(int64_t ms) {
  constexpr int64_t kHour = 3600 * 1000, kDay = 24 * kHour;
  if (ms % kDay == 0 && ms > kDay) return std::to_string(ms / kDay) + " days";
  return std::to_string(ms / kHour) + " h";
}

// An instant between 2000-01-01 and `ahead` past the node's clock (plus the sender's allowed skew).
Status CheckInstant(const FieldPath& path, int64_t utc_ms, const ValidationContext& context,
                    int64_t ahead) {
  if (utc_ms < kMinTsMs) {
    return FieldError(path, "must be on or after " + DescribeTime(kMinTsMs), DescribeTime(utc_ms));
  }
  const int64_t latest = SaturatingAdd(context.now_ms, SaturatingAdd(ahead, context.clock_skew_ms));
  if (utc_ms <= latest) return OkStatus();
  std::string rule = "must be at most " + DescribeAllowance(ahead) + " ahead of the node's clock";
  if (context.clock_skew_ms > 0) {
    rule = "must be at most " + DescribeAllowance(ahead) + " ahead of the sender's clock, " +
           "which may run " + DescribeAllowance(context.clock_skew_ms) + " ahead of this node's: " +
           "at most " + DescribeAllowance(ahead + context.clock_skew_ms) + " ahead of this node's " +
           "clock";
  }
  return FieldError(path, rule + " (" + DescribeTime(latest) + ")", DescribeTime(utc_ms));
}

Status ValidateCommon(const Event& e, const ValidationContext& context) {
  if (e.id.empty() || e.id.size() > kMaxIdBytes) {
    return FieldError({"id"}, "must be 1 to " + std::to_string(kMaxIdBytes) + " bytes",
                      DescribeSize(e.id.size()));
  }
  RETURN_IF_ERROR(CheckInstant({"ts"}, e.ts_ms, context, kMaxFutureSkewMs));
  if (!e.store.empty() && e.store != context.store) {
    return FieldError({"store"}, "must be this node's store " + QuoteString(context.store),
                      QuoteString(e.store));
  }
  return OkStatus();
}

Status ValidateLine(const Line& line, int64_t index) {
  RETURN_IF_ERROR(CheckRange(FieldPath::Line(index, "qty"), line.qty, 1, kMaxQty));
  RETURN_IF_ERROR(
      CheckRange(FieldPath::Line(index, "unit_price"), line.unit_price, 0, kMaxUnitPrice));
  // Both factors are bounded above (at most 1e14), so the product cannot overflow.
  const int64_t gross = line.qty * line.unit_price;
  if (gross > kMaxLineValue) {
    return FieldError(FieldPath::Line(index),
                      "qty*unit_price must be at most " + std::to_string(kMaxLineValue) +
                          " minor units, more than any till takes for one line",
                      std::to_string(line.qty) + "*" + std::to_string(line.unit_price) + " = " +
                          std::to_string(gross));
  }
  // discount <= gross is the "line value >= 0" rule.
  if (line.discount < 0 || line.discount > gross) {
    return FieldError(FieldPath::Line(index, "discount"),
                      "must be between 0 and qty*unit_price (" + std::to_string(gross) +
                          ") so that the line value is not negative",
                      std::to_string(line.discount));
  }
  return OkStatus();
}

Status ValidateLines(const Event& e) {
  const int64_t count = static_cast<int64_t>(e.lines.size());
  if (count < 1 || count > static_cast<int64_t>(kMaxLines)) {
    return FieldError({"lines"}, "must hold 1 to " + std::to_string(kMaxLines) + " lines",
                      std::to_string(count));
  }
  // At most kMaxLines values of at most kMaxLineValue each: the sum cannot overflow.
  int64_t value = 0;
  for (int64_t i = 0; i < count; ++i) {
    RETURN_IF_ERROR(ValidateLine(e.lines[i], i));
    value += e.lines[i].Value();
  }
  if (value > kMaxEventValue) {
    return FieldError({"lines"},
                      "the event's value (the sum of qty*unit_price - discount over its lines) "
                      "must be at most " +
                          std::to_string(kMaxEventValue) + " minor units",
                      std::to_string(value));
  }
  return OkStatus();
}

// A sale's shared credit (docs/INGEST.md, "Shared credit"): 1–kMaxCredits distinct employees,
// each share in (0, 1], the shares summing to 1 within kCreditShareTolerancePpm. A return is
// credited to its own `employee`, never shared.
Status ValidateCredits(const Event& e) {
  if (e.credits.empty()) return OkStatus();
  if (e.type != EventType::kSale) {
    return FieldError({"credits"},
                      "only a sale may share its credit; a return is credited to its employee",
                      std::to_string(e.credits.size()) + " credits");
  }
  if (e.credits.size() > kMaxCredits) {
    return FieldError({"credits"}, "must hold 1 to " + std::to_string(kMaxCredits) + " credits",
                      std::to_string(e.credits.size()));
  }
  int64_t total = 0;  // at most kMaxCredits shares of at most kCreditShareOne each
  for (size_t i = 0; i < e.credits.size(); ++i) {
    const Credit& credit = e.credits[i];
    const int64_t index = static_cast<int64_t>(i);
    if (credit.employee.empty() || credit.employee.size() > kMaxTextBytes) {
      return FieldError(FieldPath::Credit(index, "employee"),
                        "must be 1 to " + std::to_string(kMaxTextBytes) + " bytes",
                        DescribeSize(credit.employee.size()));
    }
    for (size_t j = 0; j < i; ++j) {
      if (e.credits[j].employee != credit.employee) continue;
      return FieldError(FieldPath::Credit(index, "employee"),
                        "must not repeat credits[" + std::to_string(j) +
                            "]'s employee: give each employee one credit with the sum of the "
                            "shares",
                        QuoteString(credit.employee));
    }
    if (credit.share_ppm < 1 || credit.share_ppm > kCreditShareOne) {
      return FieldError(FieldPath::Credit(index, "share"),
                        "must be more than 0 and at most 1 (kept in millionths)",
                        FormatShare(credit.share_ppm));
    }
    total += credit.share_ppm;
  }
  if (total < kCreditShareOne - kCreditShareTolerancePpm ||
      total > kCreditShareOne + kCreditShareTolerancePpm) {
    return FieldError({"credits"},
                      "the shares must sum to 1 within " + FormatShare(kCreditShareTolerancePpm) +
                          " so that the sale is credited once",
                      "a sum of " + FormatShare(total));
  }
  return OkStatus();
}

Status ValidateFootfall(const Event& e) {
  RETURN_IF_ERROR(CheckRange({"period_s"}, e.period_s, 1, kMaxPeriodS));
  RETURN_IF_ERROR(CheckRange({"in"}, e.in, 0, kMaxFootfall));
  return CheckRange({"out"}, e.out, 0, kMaxFootfall);
}

Status ValidateStock(const Event& e) {
  const std::string context = " for kind " + std::string(NameOf(e.stock_kind, kStockKindNames));
  switch (e.stock_kind) {
    case StockKind::kAdjustment:
      if (e.qty == 0) return FieldError({"qty"}, "must not be 0 for kind adjustment", "0");
      return CheckRange({"qty"}, e.qty, -kMaxStockQty, kMaxStockQty, context);
    case StockKind::kCount:
      return CheckRange({"qty"}, e.qty, 0, kMaxStockQty, context);
    default:
      return CheckRange({"qty"}, e.qty, 1, kMaxStockQty, context);
  }
}

Status ValidateOrder(const Event& e, const ValidationContext& context) {
  // The reason matters (and is checked) only for a cancellation; other statuses carry none.
  if (e.status == OrderStatus::kCancelled && !EnumFromName<int>(e.reason, kCancelReasonNames)) {
    return UnknownName({"reason"}, "cancel reason", e.reason, kCancelReasonNames);
  }
  if (!e.promised_ms) return OkStatus();
  return CheckInstant({"promised"}, *e.promised_ms, context, kMaxPromiseAheadMs);
}

Status ValidateFeedback(const Event& e) {
  if (e.scale == FeedbackScale::kNps)
    return CheckRange({"score"}, e.score, 0, 10, " on the nps scale");
  return CheckRange({"score"}, e.score, 1, 5, " on the csat scale");
}

// `staff` is a head count; `hours` at most what kMaxStaff people work in the interval, so both
// forms have the same bound on staff-seconds. The decoder saw to exactly one of them.
Status ValidateLabour(const Event& e) {
  RETURN_IF_ERROR(CheckRange({"period_s"}, e.period_s, 1, kMaxPeriodS));
  if (e.staff.has_value() == e.hours_s.has_value()) return StaffOrHours(e.staff.has_value());
  if (e.staff) return CheckRange({"staff"}, *e.staff, 0, kMaxStaff);
  const int64_t most = kMaxStaff * e.period_s;
  if (*e.hours_s >= 0 && *e.hours_s <= most) return OkStatus();
  return FieldError({"hours"},
                    "must be between 0 and " + DescribeHours(most) + " (" +
                        std::to_string(kMaxStaff) + " staff through period_s " +
                        std::to_string(e.period_s) + ")",
                    DescribeHours(*e.hours_s));
}

// Two different, non-empty ids: a link of an id to itself, or to nothing, joins no one.
Status ValidateCustomerLink(const Event& e) {
  if (e.customer.empty()) {
    return FieldError({"customer"}, "must name one id of the person (not empty)", "\"\"");
  }
  if (e.alias.empty()) {
    return FieldError({"alias"}, "must name another id of the person (not empty)", "\"\"");
  }
  if (e.alias == e.customer) {
    return FieldError({"alias"}, "must differ from customer " + QuoteString(e.customer),
                      QuoteString(e.alias));
  }
  return OkStatus();
}

}  // namespace

Status ValidateEvent(const Event& event, const ValidationContext& context) {
  RETURN_IF_ERROR(ValidateCommon(event, context));
  switch (event.type) {
    case EventType::kSale:
    case EventType::kReturn:
      RETURN_IF_ERROR(ValidateLines(event));
      return ValidateCredits(event);
    case EventType::kFootfall:
      return ValidateFootfall(event);
    case EventType::kStock:
      return ValidateStock(event);
    case EventType::kOrder:
      return ValidateOrder(event, context);
    case EventType::kFeedback:
      return ValidateFeedback(event);
    case EventType::kLabour:
      return ValidateLabour(event);
    case EventType::kCustomerLink:
      return ValidateCustomerLink(event);
  }
  return Internal("unhandled event type");
}

}  // namespace storepulse::common
