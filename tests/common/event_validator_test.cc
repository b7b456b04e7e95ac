// ValidateEvent: every value rule of SPEC §2, on both sides of each boundary.

#include "common/event_validator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "common/event_limits.h"
#include "tests/common/event_samples.h"

namespace storepulse::common {
namespace {

using testing::kNowMs;

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 24 * kHourMs;

Status Validate(const Event& event) { return ValidateEvent(event, {"s1", kNowMs}); }

// OK, or the error message (so a failing test shows which rule fired).
std::string Verdict(const Event& event) {
  const Status status = Validate(event);
  if (status.ok()) return "OK";
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  return status.message();
}

Event SaleWithLine(int64_t qty, int64_t unit_price, int64_t discount) {
  Event e = testing::SampleSale();
  e.lines = {{"sku-a", qty, unit_price, discount}};
  return e;
}

Event StockOf(StockKind kind, int64_t qty) {
  Event e = testing::SampleStock();
  e.stock_kind = kind;
  e.qty = qty;
  return e;
}

Event Feedback(FeedbackScale scale, int64_t score) {
  Event e = testing::SampleFeedback();
  e.scale = scale;
  e.score = score;
  return e;
}

TEST(EventValidatorTest, AcceptsEverySample) {
  for (const testing::Sample& sample : testing::AllSamples()) {
    EXPECT_EQ(Verdict(sample.event), "OK") << sample.json;
  }
}

// period_s 1 s to a day; staff 0–10,000; hours 0 to what 10,000 staff work in the period.
TEST(EventValidatorTest, LabourBounds) {
  Event e = testing::SampleLabourStaff();
  e.period_s = kMaxPeriodS;
  e.staff = kMaxStaff;
  EXPECT_EQ(Verdict(e), "OK");
  e.staff = 0;
  EXPECT_EQ(Verdict(e), "OK");
  e.staff = kMaxStaff + 1;
  EXPECT_EQ(Verdict(e), "field 'staff': must be between 0 and 10000, got 10001");
  e.staff = -1;
  EXPECT_EQ(Verdict(e), "field 'staff': must be between 0 and 10000, got -1");
  e.staff = 2;
  e.period_s = 0;
  EXPECT_EQ(Verdict(e), "field 'period_s': must be between 1 and 86400, got 0");
  e.period_s = kMaxPeriodS + 1;
  EXPECT_EQ(Verdict(e), "field 'period_s': must be between 1 and 86400, got 86401");

  Event h = testing::SampleLabourHours();  // 8 h shift
  h.hours_s = kMaxStaff * 28'800;
  EXPECT_EQ(Verdict(h), "OK");
  h.hours_s = kMaxStaff * 28'800 + 1800;
  EXPECT_EQ(Verdict(h),
            "field 'hours': must be between 0 and 80000 (10000 staff through period_s 28800), "
            "got 80000.5");
  h.hours_s = -3600;
  EXPECT_EQ(Verdict(h),
            "field 'hours': must be between 0 and 80000 (10000 staff through period_s 28800), "
            "got -1");
  h.staff = 1;  // an Event built in code with both
  EXPECT_EQ(Verdict(h),
            "fields 'staff' and 'hours': a labour event gives exactly one of them, got both");
  h.staff.reset();
  h.hours_s.reset();
  EXPECT_EQ(Verdict(h),
            "fields 'staff' and 'hours': a labour event gives exactly one of them, got neither");
}

TEST(EventValidatorTest, ACustomerLinkJoinsTwoDifferentIds) {
  Event e = testing::SampleCustomerLink();
  e.customer = "";
  EXPECT_EQ(Verdict(e), "field 'customer': must name one id of the person (not empty), got \"\"");
  e = testing::SampleCustomerLink();
  e.alias = "";
  EXPECT_EQ(Verdict(e), "field 'alias': must name another id of the person (not empty), got \"\"");
  e.alias = e.customer;
  EXPECT_EQ(Verdict(e),
            "field 'alias': must differ from customer \"card-1234\", got \"card-1234\"");
}

TEST(EventValidatorTest, TsNotBefore2000) {
  Event e = testing::SampleFootfall();
  e.ts_ms = kMinTsMs;
  EXPECT_EQ(Verdict(e), "OK");
  e.ts_ms = kMinTsMs - 1;
  EXPECT_EQ(Verdict(e),
            "field 'ts': must be on or after 2000-01-01T00:00:00.000Z, "
            "got 1999-12-31T23:59:59.999Z");
}

TEST(EventValidatorTest, TsAtMost24HoursAhead) {
  Event e = testing::SampleFootfall();
  e.ts_ms = kNowMs + kDayMs;
  EXPECT_EQ(Verdict(e), "OK");
  e.ts_ms = kNowMs + kDayMs + 1;
  EXPECT_EQ(Verdict(e),
            "field 'ts': must be at most 24 h ahead of the node's clock "
            "(2026-11-23T10:00:00.000Z), got 2026-11-23T10:00:00.001Z");
}

TEST(EventValidatorTest, ExtremeTimestampsAreDescribedAsMilliseconds) {
  Event e = testing::SampleFootfall();
  e.ts_ms = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(Verdict(e),
            "field 'ts': must be on or after 2000-01-01T00:00:00.000Z, "
            "got -9223372036854775808 ms");
  e.ts_ms = std::numeric_limits<int64_t>::max();
  EXPECT_NE(Verdict(e).find("got 9223372036854775807 ms"), std::string::npos);
}

TEST(EventValidatorTest, StoreEmptyOrThisNode) {
  Event e = testing::SampleSale();
  e.store = "";
  EXPECT_EQ(Verdict(e), "OK");
  e.store = "s1";
  EXPECT_EQ(Verdict(e), "OK");
  e.store = "s2";
  EXPECT_EQ(Verdict(e), "field 'store': must be this node's store \"s1\", got \"s2\"");
}

TEST(EventValidatorTest, IdOneTo64Bytes) {
  Event e = testing::SampleStock();
  e.id = std::string(64, 'x');
  EXPECT_EQ(Verdict(e), "OK");
  e.id = std::string(65, 'x');
  EXPECT_EQ(Verdict(e), "field 'id': must be 1 to 64 bytes, got 65 bytes");
  e.id = "";
  EXPECT_EQ(Verdict(e), "field 'id': must be 1 to 64 bytes, got 0 bytes");
}

TEST(EventValidatorTest, SaleHasOneTo1000Lines) {
  Event e = testing::SampleSale();
  e.lines.assign(kMaxLines, Line{"sku", 1, 100, 0});
  EXPECT_EQ(Verdict(e), "OK");
  e.lines.push_back(Line{"sku", 1, 100, 0});
  EXPECT_EQ(Verdict(e), "field 'lines': must hold 1 to 1000 lines, got 1001");
  e.lines.clear();
  EXPECT_EQ(Verdict(e), "field 'lines': must hold 1 to 1000 lines, got 0");
}

TEST(EventValidatorTest, LineQtyOneToMax) {
  EXPECT_EQ(Verdict(SaleWithLine(1, 100, 0)), "OK");
  EXPECT_EQ(Verdict(SaleWithLine(kMaxQty, 100, 0)), "OK");
  EXPECT_EQ(Verdict(SaleWithLine(0, 100, 0)),
            "field 'lines[0].qty': must be between 1 and 100000, got 0");
  EXPECT_EQ(Verdict(SaleWithLine(-3, 100, 0)),
            "field 'lines[0].qty': must be between 1 and 100000, got -3");
  EXPECT_EQ(Verdict(SaleWithLine(kMaxQty + 1, 100, 0)),
            "field 'lines[0].qty': must be between 1 and 100000, got 100001");
}

TEST(EventValidatorTest, LineUnitPriceZeroToMax) {
  EXPECT_EQ(Verdict(SaleWithLine(1, 0, 0)), "OK");
  EXPECT_EQ(Verdict(SaleWithLine(1, kMaxUnitPrice, 0)), "OK");
  EXPECT_EQ(Verdict(SaleWithLine(1, -1, 0)),
            "field 'lines[0].unit_price': must be between 0 and 1000000000, got -1");
  EXPECT_EQ(Verdict(SaleWithLine(1, kMaxUnitPrice + 1, 0)),
            "field 'lines[0].unit_price': must be between 0 and 1000000000, got 1000000001");
}

TEST(EventValidatorTest, LineDiscountKeepsLineValueNonNegative) {
  EXPECT_EQ(Verdict(SaleWithLine(2, 250, 0)), "OK");
  EXPECT_EQ(Verdict(SaleWithLine(2, 250, 500)), "OK");  // value exactly 0
  EXPECT_EQ(Verdict(SaleWithLine(2, 250, 501)),
            "field 'lines[0].discount': must be between 0 and qty*unit_price (500) so that the "
            "line value is not negative, got 501");
  EXPECT_EQ(Verdict(SaleWithLine(2, 250, -1)),
            "field 'lines[0].discount': must be between 0 and qty*unit_price (500) so that the "
            "line value is not negative, got -1");
}

TEST(EventValidatorTest, HugeLineValuesDoNotOverflow) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(Verdict(SaleWithLine(max, max, 0)),
            "field 'lines[0].qty': must be between 1 and 100000, got 9223372036854775807");
  EXPECT_EQ(Verdict(SaleWithLine(10, kMaxUnitPrice, max)).substr(0, 26),
            "field 'lines[0].discount':");
  // The largest valid sale: 1,000 lines, 10^8 units, 10^10 minor units.
  Event e = testing::SampleSale();
  e.lines.assign(kMaxLines, Line{"sku", kMaxQty, 100, 0});
  EXPECT_EQ(Verdict(e), "OK");
  EXPECT_EQ(e.LinesValue(), 10'000'000'000);
  EXPECT_EQ(e.LinesUnits(), 100'000'000);
}

TEST(EventValidatorTest, LineValueAtMostTenBillionMinorUnits) {
  EXPECT_EQ(kMaxLineValue, 10'000'000'000);
  EXPECT_EQ(Verdict(SaleWithLine(10, kMaxUnitPrice, 0)), "OK");  // 10 × 10^9, exactly the bound
  EXPECT_EQ(Verdict(SaleWithLine(kMaxQty, 100'000, 0)), "OK");   // 10^5 × 10^5, the same
  // 101 × 99,009,901 = 10,000,000,001: one minor unit over, each factor within its own limit.
  EXPECT_EQ(Verdict(SaleWithLine(101, 99'009'901, 0)),
            "field 'lines[0]': qty*unit_price must be at most 10000000000 minor units, more than "
            "any till takes for one line, got 101*99009901 = 10000000001");
  // The bound is on the line before its discount: a discount does not make it real.
  EXPECT_EQ(Verdict(SaleWithLine(101, 99'009'901, 1)).substr(0, 47),
            "field 'lines[0]': qty*unit_price must be at mos");
  // The attack of issue 8: 10^5 × 10^9 on a line, each field inside its own limit.
  EXPECT_EQ(Verdict(SaleWithLine(kMaxQty, kMaxUnitPrice, 0)),
            "field 'lines[0]': qty*unit_price must be at most 10000000000 minor units, more than "
            "any till takes for one line, got 100000*1000000000 = 100000000000000");
}

TEST(EventValidatorTest, EventValueAtMostTenBillionMinorUnits) {
  EXPECT_EQ(kMaxEventValue, 10'000'000'000);
  Event e = testing::SampleSale();
  e.lines = {{"a", 4, kMaxUnitPrice, 0}, {"b", 6, kMaxUnitPrice, 0}};  // 4e9 + 6e9
  EXPECT_EQ(Verdict(e), "OK");
  e.lines.push_back({"c", 1, 1, 0});
  EXPECT_EQ(Verdict(e),
            "field 'lines': the event's value (the sum of qty*unit_price - discount over its "
            "lines) must be at most 10000000000 minor units, got 10000000001");
  e.lines.back().discount = 1;  // the value counts discounts: 10^10 again
  EXPECT_EQ(Verdict(e), "OK");
  // Returns follow the same rule.
  Event r = testing::SampleReturn();
  r.lines = {{"a", 10, kMaxUnitPrice, 0}, {"b", 1, 1, 0}};
  EXPECT_EQ(Verdict(r).substr(0, 47), "field 'lines': the event's value (the sum of qt");
}

TEST(EventValidatorTest, ErrorNamesTheOffendingLine) {
  Event e = testing::SampleSale();
  e.lines = {{"a", 1, 1, 0}, {"b", 1, 1, 0}, {"c", -3, 1, 0}};
  EXPECT_EQ(Verdict(e), "field 'lines[2].qty': must be between 1 and 100000, got -3");
}

TEST(EventValidatorTest, ReturnLinesFollowTheSaleRules) {
  Event e = testing::SampleReturn();
  e.lines = {{"a", 1, 100, 101}};
  EXPECT_NE(Verdict(e).find("field 'lines[0].discount'"), std::string::npos);
  e.lines.clear();
  EXPECT_EQ(Verdict(e), "field 'lines': must hold 1 to 1000 lines, got 0");
}

TEST(EventValidatorTest, FootfallPeriodOneSecondToOneDay) {
  Event e = testing::SampleFootfall();
  for (int64_t ok : {int64_t{1}, kMaxPeriodS}) {
    e.period_s = ok;
    EXPECT_EQ(Verdict(e), "OK");
  }
  e.period_s = 0;
  EXPECT_EQ(Verdict(e), "field 'period_s': must be between 1 and 86400, got 0");
  e.period_s = kMaxPeriodS + 1;
  EXPECT_EQ(Verdict(e), "field 'period_s': must be between 1 and 86400, got 86401");
}

TEST(EventValidatorTest, FootfallInAndOutZeroToMax) {
  Event e = testing::SampleFootfall();
  e.in = 0;
  e.out = kMaxFootfall;
  EXPECT_EQ(Verdict(e), "OK");
  e.in = -1;
  EXPECT_EQ(Verdict(e), "field 'in': must be between 0 and 1000000, got -1");
  e.in = kMaxFootfall + 1;
  EXPECT_EQ(Verdict(e), "field 'in': must be between 0 and 1000000, got 1000001");
  e.in = 0;
  e.out = -1;
  EXPECT_EQ(Verdict(e), "field 'out': must be between 0 and 1000000, got -1");
  e.out = kMaxFootfall + 1;
  EXPECT_EQ(Verdict(e), "field 'out': must be between 0 and 1000000, got 1000001");
}

TEST(EventValidatorTest, StockAdjustmentIsANonZeroSignedDelta) {
  for (int64_t ok : {int64_t{-1}, int64_t{1}, -kMaxStockQty, kMaxStockQty}) {
    EXPECT_EQ(Verdict(StockOf(StockKind::kAdjustment, ok)), "OK") << ok;
  }
  EXPECT_EQ(Verdict(StockOf(StockKind::kAdjustment, 0)),
            "field 'qty': must not be 0 for kind adjustment, got 0");
  EXPECT_EQ(Verdict(StockOf(StockKind::kAdjustment, kMaxStockQty + 1)),
            "field 'qty': must be between -1000000000 and 1000000000 for kind adjustment, "
            "got 1000000001");
  EXPECT_EQ(Verdict(StockOf(StockKind::kAdjustment, -kMaxStockQty - 1)),
            "field 'qty': must be between -1000000000 and 1000000000 for kind adjustment, "
            "got -1000000001");
  EXPECT_NE(Verdict(StockOf(StockKind::kAdjustment, std::numeric_limits<int64_t>::min())), "OK");
}

TEST(EventValidatorTest, StockCountIsAnAbsoluteOnHand) {
  EXPECT_EQ(Verdict(StockOf(StockKind::kCount, 0)), "OK");
  EXPECT_EQ(Verdict(StockOf(StockKind::kCount, kMaxStockQty)), "OK");
  EXPECT_EQ(Verdict(StockOf(StockKind::kCount, -1)),
            "field 'qty': must be between 0 and 1000000000 for kind count, got -1");
  EXPECT_EQ(Verdict(StockOf(StockKind::kCount, kMaxStockQty + 1)),
            "field 'qty': must be between 0 and 1000000000 for kind count, got 1000000001");
}

TEST(EventValidatorTest, OtherStockMovementsArePositive) {
  for (StockKind kind :
       {StockKind::kReceipt, StockKind::kShrink, StockKind::kTransferIn, StockKind::kTransferOut}) {
    const std::string name(NameOf(kind, kStockKindNames));
    EXPECT_EQ(Verdict(StockOf(kind, 1)), "OK") << name;
    EXPECT_EQ(Verdict(StockOf(kind, kMaxStockQty)), "OK") << name;
    EXPECT_EQ(Verdict(StockOf(kind, 0)),
              "field 'qty': must be between 1 and 1000000000 for kind " + name + ", got 0");
    EXPECT_EQ(
        Verdict(StockOf(kind, kMaxStockQty + 1)),
        "field 'qty': must be between 1 and 1000000000 for kind " + name + ", got 1000000001");
  }
}

TEST(EventValidatorTest, NpsScoreZeroToTen) {
  EXPECT_EQ(Verdict(Feedback(FeedbackScale::kNps, 0)), "OK");
  EXPECT_EQ(Verdict(Feedback(FeedbackScale::kNps, 10)), "OK");
  EXPECT_EQ(Verdict(Feedback(FeedbackScale::kNps, -1)),
            "field 'score': must be between 0 and 10 on the nps scale, got -1");
  EXPECT_EQ(Verdict(Feedback(FeedbackScale::kNps, 11)),
            "field 'score': must be between 0 and 10 on the nps scale, got 11");
}

TEST(EventValidatorTest, CsatScoreOneToFive) {
  EXPECT_EQ(Verdict(Feedback(FeedbackScale::kCsat, 1)), "OK");
  EXPECT_EQ(Verdict(Feedback(FeedbackScale::kCsat, 5)), "OK");
  EXPECT_EQ(Verdict(Feedback(FeedbackScale::kCsat, 0)),
            "field 'score': must be between 1 and 5 on the csat scale, got 0");
  EXPECT_EQ(Verdict(Feedback(FeedbackScale::kCsat, 6)),
            "field 'score': must be between 1 and 5 on the csat scale, got 6");
}

TEST(EventValidatorTest, CancelledOrderNeedsAKnownReason) {
  Event e = testing::SampleOrder();
  for (const char* reason : {"stock_error", "customer", "other"}) {
    e.reason = reason;
    EXPECT_EQ(Verdict(e), "OK") << reason;
  }
  e.reason = "weather";
  EXPECT_EQ(Verdict(e),
            "field 'reason': unknown cancel reason \"weather\" (expected stock_error, customer, "
            "other)");
  e.reason = "";
  EXPECT_EQ(Verdict(e),
            "field 'reason': unknown cancel reason \"\" (expected stock_error, customer, other)");
}

TEST(EventValidatorTest, ReasonIsNotCheckedBeforeCancellation) {
  Event e = testing::SampleOrder();
  e.status = OrderStatus::kReady;
  e.reason = "";
  EXPECT_EQ(Verdict(e), "OK");
  e.reason = "anything";
  EXPECT_EQ(Verdict(e), "OK");
}

TEST(EventValidatorTest, PromiseBetween2000AndAYearAhead) {
  Event e = testing::SampleOrder();
  e.promised_ms.reset();
  EXPECT_EQ(Verdict(e), "OK");
  e.promised_ms = kMinTsMs;
  EXPECT_EQ(Verdict(e), "OK");
  e.promised_ms = kNowMs + kMaxPromiseAheadMs;
  EXPECT_EQ(Verdict(e), "OK");
  e.promised_ms = kMinTsMs - 1;
  EXPECT_EQ(Verdict(e),
            "field 'promised': must be on or after 2000-01-01T00:00:00.000Z, "
            "got 1999-12-31T23:59:59.999Z");
  e.promised_ms = kNowMs + kMaxPromiseAheadMs + 1;
  EXPECT_EQ(Verdict(e),
            "field 'promised': must be at most 366 days ahead of the node's clock "
            "(2027-11-23T10:00:00.000Z), got 2027-11-23T10:00:00.001Z");
}

TEST(EventValidatorTest, CommonRulesComeFirst) {
  Event e = SaleWithLine(-1, 100, 0);
  e.store = "elsewhere";
  EXPECT_EQ(Verdict(e), "field 'store': must be this node's store \"s1\", got \"elsewhere\"");
}

TEST(EventValidatorTest, ClockNearOverflowDoesNotWrap) {
  Event e = testing::SampleFootfall();
  e.ts_ms = std::numeric_limits<int64_t>::max();
  EXPECT_TRUE(ValidateEvent(e, {"s1", std::numeric_limits<int64_t>::max() - 1}).ok());
}

}  // namespace
}  // namespace storepulse::common

namespace storepulse::common {
namespace {

Event SharedSale(std::vector<Credit> credits) {
  Event e = testing::SampleSharedSale();
  e.credits = std::move(credits);
  return e;
}

// docs/INGEST.md, "Shared credit": each bad value refused with its reason, on both sides of each
// boundary.
TEST(EventValidatorTest, SharedCreditSumsToOneWithinTheToleranceOverDistinctEmployees) {
  EXPECT_EQ(Verdict(SharedSale({{"a", 1'000'000}})), "OK");
  // The tolerance, 0.001: 0.999 and 1.001 pass, a millionth further does not.
  EXPECT_EQ(Verdict(SharedSale({{"a", 333'000}, {"b", 333'000}, {"c", 333'000}})), "OK");
  EXPECT_EQ(Verdict(SharedSale({{"a", 500'500}, {"b", 500'500}})), "OK");
  EXPECT_EQ(Verdict(SharedSale({{"a", 333'000}, {"b", 333'000}, {"c", 332'999}})),
            "field 'credits': the shares must sum to 1 within 0.001 so that the sale is credited "
            "once, got a sum of 0.998999");
  EXPECT_EQ(Verdict(SharedSale({{"a", 500'500}, {"b", 500'501}})),
            "field 'credits': the shares must sum to 1 within 0.001 so that the sale is credited "
            "once, got a sum of 1.001001");
  EXPECT_EQ(Verdict(SharedSale({{"a", 500'000}, {"a", 500'000}})),
            "field 'credits[1].employee': must not repeat credits[0]'s employee: give each "
            "employee one credit with the sum of the shares, got \"a\"");
  EXPECT_EQ(Verdict(SharedSale({{"a", 500'000}, {"", 500'000}})),
            "field 'credits[1].employee': must be 1 to 256 bytes, got 0 bytes");
  EXPECT_EQ(Verdict(SharedSale({{"a", 0}, {"b", 1'000'000}})),
            "field 'credits[0].share': must be more than 0 and at most 1 (kept in millionths), "
            "got 0");
  EXPECT_EQ(Verdict(SharedSale({{"a", 1'000'001}})),
            "field 'credits[0].share': must be more than 0 and at most 1 (kept in millionths), "
            "got 1.000001");
  std::vector<Credit> eleven;
  for (int i = 0; i < 11; ++i) eleven.push_back({"e" + std::to_string(i), 90'909});
  EXPECT_EQ(Verdict(SharedSale(eleven)), "field 'credits': must hold 1 to 10 credits, got 11");
  eleven.pop_back();
  eleven.back().share_ppm = 1'000'000 - 9 * 90'909;
  EXPECT_EQ(Verdict(SharedSale(eleven)), "OK");
}

// A return carries its own employee, who bears it whole: it may not share it.
TEST(EventValidatorTest, OnlyASaleMayShareItsCredit) {
  Event ret = testing::SampleReturn();
  ret.credits = {{"a", 500'000}, {"b", 500'000}};
  EXPECT_EQ(Verdict(ret),
            "field 'credits': only a sale may share its credit; a return is credited to its "
            "employee, got 2 credits");
}

}  // namespace
}  // namespace storepulse::common
