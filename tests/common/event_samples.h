// Hand-built sample events of every type for the codec and validator tests, each valid at kNowMs
// for store "s1", and each with the JSON text a producer would send for it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/event.h"

namespace storepulse::common::testing {

inline constexpr int64_t kNowMs = 1'795'341'600'000;  // 2026-11-22T10:00:00Z
inline constexpr int64_t kTsMs = 1'795'338'900'000;   // 2026-11-22T09:15:00Z

inline Event SampleSale() {
  Event e;
  e.id = "sale-1";
  e.type = EventType::kSale;
  e.ts_ms = kTsMs;
  e.store = "s1";
  e.txn = "T100";
  e.channel = Channel::kClickCollect;
  e.till = "till-2";
  e.employee = "emp-7";
  e.customer = "cust-9";
  e.lines = {{"sku-a", 2, 1250, 100}, {"sku-b", 1, 999, 0}};
  return e;
}
inline constexpr const char* kSaleJson =
    R"({"id":"sale-1","type":"sale","ts":"2026-11-22T09:15:00Z","store":"s1","txn":"T100",)"
    R"("channel":"click_collect","till":"till-2","employee":"emp-7","customer":"cust-9",)"
    R"("lines":[{"sku":"sku-a","qty":2,"unit_price":1250,"discount":100},)"
    R"({"sku":"sku-b","qty":1,"unit_price":999}]})";

// A sale prepared by one adviser and closed by another: a third and two thirds of its credit.
inline Event SampleSharedSale() {
  Event e;
  e.id = "sale-2";
  e.type = EventType::kSale;
  e.ts_ms = kTsMs;
  e.txn = "T101";
  e.employee = "emp-7";
  e.lines = {{"sku-a", 1, 1000, 0}};
  e.credits = {{"emp-3", 333'333}, {"emp-7", 666'667}};
  return e;
}
inline constexpr const char* kSharedSaleJson =
    R"({"id":"sale-2","type":"sale","ts":"2026-11-22T09:15:00Z","txn":"T101",)"
    R"("employee":"emp-7","lines":[{"sku":"sku-a","qty":1,"unit_price":1000}],)"
    R"("credits":[{"employee":"emp-3","share":0.333333},{"employee":"emp-7","share":0.666667}]})";

inline Event SampleReturn() {
  Event e;
  e.id = "ret-1";
  e.type = EventType::kReturn;
  e.ts_ms = kTsMs;
  e.txn = "R200";
  e.original_txn = "W55";
  e.original_channel = Channel::kWeb;
  e.reason = "too small";
  e.employee = "emp-7";
  e.customer = "cust-9";
  e.restock = false;
  e.lines = {{"sku-a", 1, 1250, 0}};
  return e;
}
inline constexpr const char* kReturnJson =
    R"({"id":"ret-1","type":"return","ts":1795338900000,"txn":"R200","original_txn":"W55",)"
    R"("original_channel":"web","reason":"too small","employee":"emp-7","customer":"cust-9",)"
    R"("restock":false,"lines":[{"sku":"sku-a","qty":1,"unit_price":1250}]})";

inline Event SampleFootfall() {
  Event e;
  e.id = "ff-1";
  e.type = EventType::kFootfall;
  e.ts_ms = kTsMs;
  e.sensor = "door-1";
  e.period_s = 900;
  e.in = 42;
  e.out = 37;
  return e;
}
inline constexpr const char* kFootfallJson =
    R"({"id":"ff-1","type":"footfall","ts":"2026-11-22T10:15:00+01:00","sensor":"door-1",)"
    R"("period_s":900,"in":42,"out":37})";

inline Event SampleStock() {
  Event e;
  e.id = "st-1";
  e.type = EventType::kStock;
  e.ts_ms = kTsMs;
  e.sku = "sku-a";
  e.stock_kind = StockKind::kAdjustment;
  e.qty = -3;
  return e;
}
inline constexpr const char* kStockJson =
    R"({"id":"st-1","type":"stock","ts":"2026-11-22T09:15:00.000Z","sku":"sku-a",)"
    R"("kind":"adjustment","qty":-3})";

inline Event SampleOrder() {
  Event e;
  e.id = "ord-1";
  e.type = EventType::kOrder;
  e.ts_ms = kTsMs;
  e.order = "O-77";
  e.order_kind = OrderKind::kShipFromStore;
  e.status = OrderStatus::kCancelled;
  e.source = OrderSource::kWarehouse;
  e.reason = "stock_error";
  e.promised_ms = 1'795'456'800'000;  // 2026-11-23T18:00:00Z
  return e;
}
inline constexpr const char* kOrderJson =
    R"({"id":"ord-1","type":"order","ts":"2026-11-22T09:15:00Z","order":"O-77",)"
    R"("kind":"ship_from_store","status":"cancelled","source":"warehouse",)"
    R"("reason":"stock_error","promised":"2026-11-23T18:00:00Z"})";

inline Event SampleFeedback() {
  Event e;
  e.id = "fb-1";
  e.type = EventType::kFeedback;
  e.ts_ms = kTsMs;
  e.scale = FeedbackScale::kCsat;
  e.score = 4;
  e.channel = Channel::kMobile;
  e.customer = "cust-9";
  return e;
}
inline constexpr const char* kFeedbackJson =
    R"({"id":"fb-1","type":"feedback","ts":"2026-11-22T09:15:00Z","scale":"csat","score":4,)"
    R"("channel":"mobile","customer":"cust-9"})";

// Labour (issue 15), in both forms: two staff on the floor for the quarter hour, and 7.5 hours
// worked by one employee over a day's shift of 8 hours.
inline Event SampleLabourStaff() {
  Event e;
  e.id = "lab-1";
  e.type = EventType::kLabour;
  e.ts_ms = kTsMs;
  e.period_s = 900;
  e.staff = 2;
  return e;
}
inline constexpr const char* kLabourStaffJson =
    R"({"id":"lab-1","type":"labour","ts":"2026-11-22T09:15:00Z","period_s":900,"staff":2})";
inline Event SampleLabourHours() {
  Event e;
  e.id = "lab-2";
  e.type = EventType::kLabour;
  e.ts_ms = kTsMs;
  e.employee = "emp-7";
  e.period_s = 28'800;
  e.hours_s = 27'000;
  return e;
}
inline constexpr const char* kLabourHoursJson =
    R"({"id":"lab-2","type":"labour","ts":"2026-11-22T09:15:00Z","employee":"emp-7",)"
    R"("period_s":28800,"hours":7.5})";
inline Event SampleCustomerLink() {
  Event e;
  e.id = "link-1";
  e.type = EventType::kCustomerLink;
  e.ts_ms = kTsMs;
  e.customer = "card-1234";
  e.alias = "ann@example.com";
  return e;
}
inline constexpr const char* kCustomerLinkJson =
    R"({"id":"link-1","type":"customer_link","ts":"2026-11-22T09:15:00Z",)"
    R"("customer":"card-1234","alias":"ann@example.com"})";

// One sample of each type, with its JSON.
struct Sample {
  Event event;
  std::string json;
};
inline std::vector<Sample> AllSamples() {
  return {{SampleSale(), kSaleJson},
          {SampleSharedSale(), kSharedSaleJson},
          {SampleReturn(), kReturnJson},
          {SampleFootfall(), kFootfallJson},
          {SampleStock(), kStockJson},
          {SampleOrder(), kOrderJson},
          {SampleFeedback(), kFeedbackJson},
          {SampleLabourStaff(), kLabourStaffJson},
          {SampleLabourHours(), kLabourHoursJson},
          {SampleCustomerLink(), kCustomerLinkJson}};
}

}  // namespace storepulse::common::testing
