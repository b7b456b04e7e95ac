// The event codecs: producer JSON (array, JSON Lines) and msgpack decoding into equal events, the
// shape rules and their messages, batch limits, hostile input, and the stored encoding.

#include "common/event_codec.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <msgpack.hpp>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "common/credit_share.h"
#include "common/event_limits.h"
#include "common/event_validator.h"
#include "common/utf8.h"
#include "tests/common/event_samples.h"

namespace storepulse::common {
namespace {

using nlohmann::json;
using testing::AllSamples;
using testing::Sample;

// The batch's elements; fails the test when the batch as a whole is refused.
std::vector<DecodedEvent> Elements(const StatusOr<std::vector<DecodedEvent>>& batch) {
  EXPECT_TRUE(batch.ok()) << batch.status().ToString();
  return batch.ok() ? *batch : std::vector<DecodedEvent>{};
}

// The one event of a one-line JSON body, or a default Event after a test failure.
Event DecodeOne(std::string_view body) {
  const std::vector<DecodedEvent> events = Elements(DecodeJsonBatch(body));
  if (events.size() != 1) {
    ADD_FAILURE() << "expected one element, got " << events.size();
    return {};
  }
  EXPECT_TRUE(events[0].event.ok()) << events[0].event.status().message() << "\n" << body;
  return events[0].event.ok() ? *events[0].event : Event{};
}

// "OK", or the message that refused the single element of `batch`.
std::string Verdict(const StatusOr<std::vector<DecodedEvent>>& batch) {
  const std::vector<DecodedEvent> events = Elements(batch);
  if (events.size() != 1) return "expected one element, got " + std::to_string(events.size());
  if (events[0].event.ok()) return "OK";
  EXPECT_EQ(events[0].event.status().code(), StatusCode::kInvalidArgument);
  return events[0].event.status().message();
}
std::string JsonVerdict(std::string_view body) { return Verdict(DecodeJsonBatch(body)); }

// `text` with its only occurrence of `from` replaced by `to`.
std::string Replace(std::string text, std::string_view from, std::string_view to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The same events as msgpack, converted by nlohmann (an encoder independent of ours).
std::string ToMsgpack(const json& value) {
  const std::vector<uint8_t> bytes = json::to_msgpack(value);
  return std::string(bytes.begin(), bytes.end());
}
std::string MsgpackBatchOf(std::string_view json_object) {
  return ToMsgpack(json::array({json::parse(json_object)}));
}

template <typename Build>
std::string Packed(Build build) {
  msgpack::sbuffer buffer;
  msgpack::packer<msgpack::sbuffer> packer(buffer);
  build(packer);
  return std::string(buffer.data(), buffer.size());
}

// ---------------------------------------------------------------- every type, both formats

TEST(EventCodecTest, DecodesEveryTypeFromJson) {
  for (const Sample& sample : AllSamples()) {
    EXPECT_EQ(DecodeOne(sample.json), sample.event) << sample.json;
  }
}

TEST(EventCodecTest, MsgpackWithTheSameFieldsDecodesToEqualEvents) {
  for (const Sample& sample : AllSamples()) {
    const std::vector<DecodedEvent> events =
        Elements(DecodeMsgpackBatch(MsgpackBatchOf(sample.json)));
    ASSERT_EQ(events.size(), 1u);
    ASSERT_TRUE(events[0].event.ok()) << events[0].event.status().message();
    EXPECT_EQ(*events[0].event, sample.event) << sample.json;
    EXPECT_EQ(*events[0].event, DecodeOne(sample.json));
    EXPECT_EQ(events[0].id, sample.event.id);
  }
}

TEST(EventCodecTest, JsonArrayAndJsonLinesAgree) {
  std::string lines = "\r\n";
  json array = json::array();
  for (const Sample& sample : AllSamples()) {
    lines += sample.json + "\r\n\n  \n";
    array.push_back(json::parse(sample.json));
  }
  const std::vector<DecodedEvent> from_lines = Elements(DecodeJsonBatch(lines));
  const std::vector<DecodedEvent> from_array = Elements(DecodeJsonBatch("  " + array.dump(2)));
  ASSERT_EQ(from_lines.size(), 10u);
  ASSERT_EQ(from_array.size(), 10u);
  for (size_t i = 0; i < 10; ++i) {
    ASSERT_TRUE(from_lines[i].event.ok() && from_array[i].event.ok());
    EXPECT_EQ(*from_lines[i].event, AllSamples()[i].event);
    EXPECT_EQ(*from_array[i].event, AllSamples()[i].event);
  }
}

// `hours` is any number, kept as whole staff-seconds rounded to the nearest; `staff` is an integer;
// never both.
TEST(EventCodecTest, LabourTakesStaffOrHours) {
  const std::string head = R"({"id":"l","type":"labour","ts":1795338900000,"period_s":3600,)";
  EXPECT_EQ(DecodeOne(head + R"("hours":8})").hours_s, 28'800);
  EXPECT_EQ(DecodeOne(head + R"("hours":0.25})").hours_s, 900);
  // 1/3 h written to 4 decimals is 1199.88 s: the nearest second.
  EXPECT_EQ(DecodeOne(head + R"("hours":0.3333})").hours_s, 1'200);
  EXPECT_EQ(DecodeOne(head + R"("hours":0.3333})").staff, std::nullopt);
  EXPECT_EQ(DecodeOne(head + R"("staff":3})").staff, 3);
  EXPECT_EQ(JsonVerdict(head + R"("staff":3,"hours":3})"),
            "fields 'staff' and 'hours': a labour event gives exactly one of them, got both");
  EXPECT_EQ(JsonVerdict(head + R"("staff":1.5})"), "field 'staff': must be an integer, got 1.5");
  EXPECT_EQ(JsonVerdict(head + R"("hours":"8"})"),
            "field 'hours': must be a number of hours, got \"8\"");
  EXPECT_EQ(JsonVerdict(head + R"("hours":1e300})"),
            "field 'hours': must be a number of hours below 1e11, got 1e+300");
  // Encoded back as hours: 900 s is 0.25, and decodes to the same seconds.
  Event quarter = DecodeOne(head + R"("hours":0.25})");
  EXPECT_EQ(json::parse(EncodeJsonEvent(quarter))["hours"], 0.25);
  quarter.hours_s = 1;  // 1/3600 h does not print short, and still comes back as 1 s
  EXPECT_EQ(DecodeOne(EncodeJsonEvent(quarter)), quarter);
  EXPECT_EQ(*Elements(DecodeMsgpackBatch(EncodeMsgpackBatch({quarter})))[0].event, quarter);
}

TEST(EventCodecTest, OptionalFieldsTakeTheirDefaults) {
  const Event sale = DecodeOne(
      R"({"id":"a","type":"sale","ts":1795338900000,"txn":"T","lines":[{"sku":"x","qty":1,"unit_price":5}]})");
  EXPECT_EQ(sale.channel, Channel::kStore);
  EXPECT_EQ(sale.store, "");
  EXPECT_EQ(sale.lines, (std::vector<Line>{{"x", 1, 5, 0}}));
  const Event ret = DecodeOne(
      R"({"id":"b","type":"return","ts":1795338900000,"txn":"R","lines":[{"sku":"x","qty":1,"unit_price":5}]})");
  EXPECT_TRUE(ret.restock);
  EXPECT_EQ(ret.original_channel, Channel::kStore);
  const Event order = DecodeOne(
      R"({"id":"c","type":"order","ts":1795338900000,"order":"O","kind":"reserve","status":"created"})");
  EXPECT_EQ(order.source, OrderSource::kStore);
  EXPECT_FALSE(order.promised_ms.has_value());
  EXPECT_EQ(order.reason, "");
}

TEST(EventCodecTest, NullCountsAsAbsent) {
  const Event order =
      DecodeOne(R"({"id":"c","type":"order","ts":1795338900000,"order":"O","kind":"reserve",)"
                R"("status":"created","promised":null,"source":null,"store":null})");
  EXPECT_FALSE(order.promised_ms.has_value());
  EXPECT_EQ(order.source, OrderSource::kStore);
  EXPECT_EQ(JsonVerdict(Replace(testing::kStockJson, R"("sku":"sku-a")", R"("sku":null)")),
            "field 'sku': missing");
}

TEST(EventCodecTest, UnknownAndForeignFieldsAreIgnored) {
  const std::string extended =
      Replace(testing::kFootfallJson, R"("sensor")",
              R"("v2_field":{"deep":[1,{"x":null}]},"sku":5,"lines":"not lines","sensor")");
  EXPECT_EQ(DecodeOne(extended), testing::SampleFootfall());
}

TEST(EventCodecTest, TimestampForms) {
  const std::string base = testing::kStockJson;
  const auto ts_of = [&](std::string_view ts) {
    return DecodeOne(Replace(base, R"("2026-11-22T09:15:00.000Z")", ts)).ts_ms;
  };
  EXPECT_EQ(ts_of(R"("2026-11-22T09:15:00Z")"), testing::kTsMs);
  EXPECT_EQ(ts_of(R"("2026-11-22t04:15:00.250-05:00")"), testing::kTsMs + 250);
  EXPECT_EQ(ts_of(R"("2026-11-22T09:15:00.123456z")"), testing::kTsMs + 123);
  EXPECT_EQ(ts_of("1795338900000"), testing::kTsMs);
  EXPECT_EQ(ts_of("1795338900000.0"), testing::kTsMs);
  EXPECT_EQ(JsonVerdict(Replace(base, R"("2026-11-22T09:15:00.000Z")", R"("yesterday")")),
            "field 'ts': must be an RFC 3339 timestamp or integer Unix ms, got \"yesterday\"");
  EXPECT_EQ(JsonVerdict(Replace(base, R"("2026-11-22T09:15:00.000Z")", "true")),
            "field 'ts': must be an RFC 3339 timestamp or integer Unix ms, got true");
  EXPECT_EQ(JsonVerdict(Replace(base, R"("2026-11-22T09:15:00.000Z")", "1.5e12")), "OK");
  EXPECT_EQ(JsonVerdict(Replace(base, R"("2026-11-22T09:15:00.000Z")", "1795338900000.5")),
            "field 'ts': must be an integer, got 1795338900000.5");
}

TEST(EventCodecTest, PromiseTakesBothTimestampForms) {
  const Event order = DecodeOne(Replace(testing::kOrderJson, R"("promised":"2026-11-23T18:00:00Z")",
                                        R"("promised":1795456800000)"));
  EXPECT_EQ(order, testing::SampleOrder());
  EXPECT_EQ(JsonVerdict(Replace(testing::kOrderJson, R"("2026-11-23T18:00:00Z")", R"("soon")")),
            "field 'promised': must be an RFC 3339 timestamp or integer Unix ms, got \"soon\"");
}

// ---------------------------------------------------------------- required fields

struct MissingCase {
  const char* json;
  const char* removed;  // top-level field, or "lines/<field>" for the first line's field
  const char* message;
};

TEST(EventCodecTest, EachTypeRequiresItsFields) {
  const MissingCase cases[] = {
      {testing::kSaleJson, "id", "field 'id': missing"},
      {testing::kSaleJson, "type", "field 'type': missing"},
      {testing::kSaleJson, "ts", "field 'ts': missing"},
      {testing::kSaleJson, "txn", "field 'txn': missing"},
      {testing::kSaleJson, "lines", "field 'lines': missing"},
      {testing::kSaleJson, "lines/sku", "field 'lines[0].sku': missing"},
      {testing::kSaleJson, "lines/qty", "field 'lines[0].qty': missing"},
      {testing::kSaleJson, "lines/unit_price", "field 'lines[0].unit_price': missing"},
      {testing::kReturnJson, "txn", "field 'txn': missing"},
      {testing::kReturnJson, "lines", "field 'lines': missing"},
      {testing::kFootfallJson, "sensor", "field 'sensor': missing"},
      {testing::kFootfallJson, "period_s", "field 'period_s': missing"},
      {testing::kFootfallJson, "in", "field 'in': missing"},
      {testing::kFootfallJson, "out", "field 'out': missing"},
      {testing::kStockJson, "sku", "field 'sku': missing"},
      {testing::kStockJson, "kind", "field 'kind': missing"},
      {testing::kStockJson, "qty", "field 'qty': missing"},
      {testing::kOrderJson, "order", "field 'order': missing"},
      {testing::kOrderJson, "kind", "field 'kind': missing"},
      {testing::kOrderJson, "status", "field 'status': missing"},
      {testing::kOrderJson, "reason", "field 'reason': missing, required when status is cancelled"},
      {testing::kFeedbackJson, "scale", "field 'scale': missing"},
      {testing::kFeedbackJson, "score", "field 'score': missing"},
      {testing::kLabourStaffJson, "period_s", "field 'period_s': missing"},
      {testing::kLabourStaffJson, "staff",
       "fields 'staff' and 'hours': a labour event gives exactly one of them, got neither"},
      {testing::kLabourHoursJson, "hours",
       "fields 'staff' and 'hours': a labour event gives exactly one of them, got neither"},
  };
  for (const MissingCase& c : cases) {
    json event = json::parse(c.json);
    const std::string removed = c.removed;
    if (removed.starts_with("lines/")) {
      event["lines"][0].erase(removed.substr(6));
    } else {
      event.erase(removed);
    }
    EXPECT_EQ(JsonVerdict(event.dump()), c.message) << c.removed;
    EXPECT_EQ(Verdict(DecodeMsgpackBatch(ToMsgpack(json::array({event})))), c.message);
  }
}

TEST(EventCodecTest, OptionalFieldsMayBeLeftOut) {
  const char* optional[] = {"store", "channel", "till", "employee", "customer"};
  for (const char* field : optional) {
    json sale = json::parse(testing::kSaleJson);
    sale.erase(field);
    EXPECT_EQ(JsonVerdict(sale.dump()), "OK") << field;
  }
  json ret = json::parse(testing::kReturnJson);
  for (const char* field : {"original_txn", "original_channel", "reason", "restock"}) {
    ret.erase(field);
  }
  EXPECT_EQ(JsonVerdict(ret.dump()), "OK");
  json order = json::parse(testing::kOrderJson);
  order["status"] = "created";
  order.erase("reason");
  order.erase("promised");
  order.erase("source");
  EXPECT_EQ(JsonVerdict(order.dump()), "OK");
}

// ---------------------------------------------------------------- wrong kinds and names

struct WrongCase {
  const char* json;
  const char* from;
  const char* to;
  const char* message;
};

TEST(EventCodecTest, WrongKindsAndNamesAreNamedInTheMessage) {
  const WrongCase cases[] = {
      {testing::kSaleJson, R"("sale-1")", "5", "field 'id': must be a string, got 5"},
      {testing::kSaleJson, R"("sale")", R"("sail")",
       "field 'type': unknown type \"sail\" (expected sale, return, footfall, stock, order, "
       "feedback, labour, customer_link)"},
      {testing::kCustomerLinkJson, R"("alias":"ann@example.com")", R"("alias":7)",
       "field 'alias': must be a string, got 7"},
      {testing::kCustomerLinkJson, R"(,"alias":"ann@example.com")", "", "field 'alias': missing"},
      {testing::kSaleJson, R"("click_collect")", R"("fax")",
       "field 'channel': unknown channel \"fax\" (expected store, web, click_collect, "
       "ship_from_store, mobile)"},
      {testing::kSaleJson, R"("lines":[)", R"("lines":{"a":1},"x":[)",
       "field 'lines': must be an array of lines, got an object"},
      {testing::kSaleJson, R"("lines":[{"sku":"sku-a")", R"("lines":[5,{"sku":"sku-a")",
       "field 'lines[0]': must be an object, got 5"},
      {testing::kSaleJson, R"("qty":2)", R"("qty":"2")",
       "field 'lines[0].qty': must be an integer, got \"2\""},
      {testing::kSaleJson, R"("unit_price":999)", R"("unit_price":9.99)",
       "field 'lines[1].unit_price': must be an integer, got 9.99"},
      {testing::kSaleJson, R"("discount":100)", R"("discount":[100])",
       "field 'lines[0].discount': must be an integer, got an array"},
      {testing::kReturnJson, "false", R"("yes")",
       "field 'restock': must be true or false, got \"yes\""},
      {testing::kReturnJson, R"("web")", "1", "field 'original_channel': must be a string, got 1"},
      {testing::kFootfallJson, "900", "true", "field 'period_s': must be an integer, got true"},
      {testing::kStockJson, R"("adjustment")", R"("theft")",
       "field 'kind': unknown stock kind \"theft\" (expected receipt, adjustment, shrink, "
       "transfer_in, transfer_out, count)"},
      {testing::kOrderJson, R"("ship_from_store")", R"("drone")",
       "field 'kind': unknown order kind \"drone\" (expected click_collect, ship_from_store, "
       "reserve)"},
      {testing::kOrderJson, R"("cancelled")", R"("lost")",
       "field 'status': unknown status \"lost\" (expected created, ready, collected, shipped, "
       "delivered, cancelled)"},
      {testing::kOrderJson, R"("warehouse")", R"("supplier")",
       "field 'source': unknown source \"supplier\" (expected store, warehouse)"},
      {testing::kFeedbackJson, R"("csat")", R"("stars")",
       "field 'scale': unknown scale \"stars\" (expected nps, csat)"},
      {testing::kFeedbackJson, R"("score":4)", R"("score":4.5)",
       "field 'score': must be an integer, got 4.5"},
  };
  for (const WrongCase& c : cases) {
    const std::string body = Replace(c.json, c.from, c.to);
    EXPECT_EQ(JsonVerdict(body), c.message) << body;
    EXPECT_EQ(Verdict(DecodeMsgpackBatch(MsgpackBatchOf(body))), c.message) << body;
  }
}

TEST(EventCodecTest, HugeNumbersAreRefusedNotWrapped) {
  const std::string stock = testing::kStockJson;
  EXPECT_EQ(JsonVerdict(Replace(stock, "-3", "1e30")),
            "field 'qty': must be an integer that fits in 64 bits, got 1e+30");
  EXPECT_EQ(JsonVerdict(Replace(stock, "-3", "99999999999999999999")),
            "field 'qty': must be an integer that fits in 64 bits, got 1e+20");
  EXPECT_EQ(JsonVerdict(Replace(stock, "-3", "18446744073709551615")),
            "field 'qty': must be an integer that fits in 64 bits, got 18446744073709551615");
  EXPECT_EQ(JsonVerdict(Replace(stock, "-3", "9223372036854775808")),
            "field 'qty': must be an integer that fits in 64 bits, got 9223372036854775808");
  EXPECT_EQ(JsonVerdict(Replace(stock, "-3", "9.3e18")),
            "field 'qty': must be an integer that fits in 64 bits, got 9.3e+18");
  EXPECT_EQ(DecodeOne(Replace(stock, "-3", "9223372036854775807")).qty, INT64_MAX);
  EXPECT_EQ(DecodeOne(Replace(stock, "-3", "-9223372036854775808")).qty, INT64_MIN);
  EXPECT_EQ(DecodeOne(Replace(stock, "-3", "-9.223372036854775808e18")).qty, INT64_MIN);
  EXPECT_EQ(DecodeOne(Replace(stock, "-3", "3.0")).qty, 3);
  EXPECT_EQ(JsonVerdict(Replace(stock, "-3", "2.5")), "field 'qty': must be an integer, got 2.5");
}

TEST(EventCodecTest, MsgpackNumbersOfEveryWidth) {
  const auto verdict = [](auto pack_qty) {
    return Verdict(DecodeMsgpackBatch(Packed([&](auto& p) {
      p.pack_array(1);
      p.pack_map(6);
      p.pack(std::string("id")), p.pack(std::string("m1"));
      p.pack(std::string("type")), p.pack(std::string("stock"));
      p.pack(std::string("ts")), p.pack_uint64(1795338900000);
      p.pack(std::string("sku")), p.pack(std::string("x"));
      p.pack(std::string("kind")), p.pack(std::string("count"));
      p.pack(std::string("qty"));
      pack_qty(p);
    })));
  };
  EXPECT_EQ(verdict([](auto& p) { p.pack_uint8(7); }), "OK");
  EXPECT_EQ(verdict([](auto& p) { p.pack_int8(-7); }), "OK");
  EXPECT_EQ(verdict([](auto& p) { p.pack_float(3.0f); }), "OK");
  EXPECT_EQ(verdict([](auto& p) { p.pack_double(2.5); }),
            "field 'qty': must be an integer, got 2.5");
  EXPECT_EQ(verdict([](auto& p) { p.pack_double(std::nan("")); }),
            "field 'qty': must be an integer, got nan");
  EXPECT_EQ(verdict([](auto& p) { p.pack_double(1e30); }),
            "field 'qty': must be an integer that fits in 64 bits, got 1e+30");
  EXPECT_EQ(verdict([](auto& p) { p.pack_uint64(UINT64_MAX); }),
            "field 'qty': must be an integer that fits in 64 bits, got 18446744073709551615");
  EXPECT_EQ(verdict([](auto& p) { p.pack_int64(INT64_MIN); }), "OK");
  EXPECT_EQ(verdict([](auto& p) { p.pack_bin(1), p.pack_bin_body("\x01", 1); }),
            "field 'qty': must be an integer, got a binary value");
  EXPECT_EQ(verdict([](auto& p) { p.pack_nil(); }), "field 'qty': missing");
}

TEST(EventCodecTest, NegativeQuantityDecodesThenFailsValidation) {
  const Event sale = DecodeOne(Replace(testing::kSaleJson, R"("qty":1,)", R"("qty":-3,)"));
  EXPECT_EQ(sale.lines[1].qty, -3);
  const Status status = ValidateEvent(sale, {"s1", testing::kNowMs});
  EXPECT_EQ(status.message(), "field 'lines[1].qty': must be between 1 and 100000, got -3");
}

// ---------------------------------------------------------------- sizes

TEST(EventCodecTest, StringSizes) {
  const std::string sale = testing::kSaleJson;
  const std::string id64(64, 'i');
  const std::string text256(256, 't');
  EXPECT_EQ(DecodeOne(Replace(sale, "sale-1", id64)).id, id64);
  EXPECT_EQ(JsonVerdict(Replace(sale, "sale-1", id64 + "i")),
            "field 'id': must be 1 to 64 bytes, got 65 bytes");
  EXPECT_EQ(JsonVerdict(Replace(sale, "sale-1", "")),
            "field 'id': must be 1 to 64 bytes, got 0 bytes");
  EXPECT_EQ(DecodeOne(Replace(sale, "T100", text256)).txn, text256);
  EXPECT_EQ(JsonVerdict(Replace(sale, "T100", text256 + "t")),
            "field 'txn': must be 1 to 256 bytes, got 257 bytes");
  EXPECT_EQ(JsonVerdict(Replace(sale, "cust-9", text256 + "t")),
            "field 'customer': must be at most 256 bytes, got 257 bytes");
  EXPECT_EQ(DecodeOne(Replace(sale, R"("cust-9")", R"("")")).customer, "");
  EXPECT_EQ(JsonVerdict(Replace(sale, R"("sku-b")", R"("")")),
            "field 'lines[1].sku': must be 1 to 256 bytes, got 0 bytes");
}

TEST(EventCodecTest, LineCount) {
  json sale = json::parse(testing::kSaleJson);
  sale["lines"] = json::array();
  EXPECT_EQ(JsonVerdict(sale.dump()), "field 'lines': must hold 1 to 1000 lines, got 0");
  for (size_t i = 0; i < kMaxLines; ++i) {
    sale["lines"].push_back({{"sku", "s"}, {"qty", 1}, {"unit_price", 1}});
  }
  EXPECT_EQ(DecodeOne(sale.dump()).lines.size(), kMaxLines);
  sale["lines"].push_back({{"sku", "s"}, {"qty", 1}, {"unit_price", 1}});
  EXPECT_EQ(JsonVerdict(sale.dump()), "field 'lines': must hold 1 to 1000 lines, got 1001");
}

TEST(EventCodecTest, TwoMegabyteStringIsRefusedBySizeQuickly) {
  const std::string huge(2 * 1024 * 1024, 'x');
  const std::string line = Replace(testing::kFootfallJson, "door-1", huge);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(JsonVerdict(line + "\n"),
            "event is " + std::to_string(line.size()) + " bytes, over the 65536-byte limit");
  // In an array and in msgpack: the same size, and the id kept though the event was not built.
  for (const auto& batch :
       {DecodeJsonBatch("[" + line + "]"), DecodeMsgpackBatch(MsgpackBatchOf(line))}) {
    const std::vector<DecodedEvent> events = Elements(batch);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].id, "ff-1");
    EXPECT_EQ(events[0].event.status().message(),
              "event is " + std::to_string(line.size()) + " bytes, over the 65536-byte limit");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

// An event's size is the length of its compact JSON form, whatever encoding and spacing carried
// it (docs/INGEST.md, "Input limits"): the limit falls at the same byte in every encoding.
TEST(EventCodecTest, EventSizeIsTheSameInEveryEncoding) {
  const auto padded = [](size_t total) {
    json event = json::parse(testing::kFootfallJson);
    event["pad"] = "";
    event["pad"] = std::string(total - event.dump().size(), 'p');
    return event;
  };
  for (const size_t size : {kMaxEventBytes, kMaxEventBytes + 1}) {
    const json event = padded(size);
    ASSERT_EQ(event.dump().size(), size);
    const std::string expected =
        size <= kMaxEventBytes ? "OK" : "event is 65537 bytes, over the 65536-byte limit";
    // JSON Lines with spaces after separators: 6 more bytes on the line, the same event.
    std::string spaced = event.dump();
    for (const std::string_view from : {R"(",")", R"(":)"}) {
      for (size_t at = spaced.find(from); at != std::string::npos; at = spaced.find(from, at + 2)) {
        spaced.insert(at + 2, " ");
      }
    }
    ASSERT_GT(spaced.size(), size);
    EXPECT_EQ(JsonVerdict(event.dump() + "\n"), expected) << "JSON Lines";
    EXPECT_EQ(JsonVerdict(spaced + "\n"), expected) << "JSON Lines with spaces";
    EXPECT_EQ(JsonVerdict("[" + event.dump() + "]"), expected) << "JSON array";
    EXPECT_EQ(JsonVerdict("[\n" + event.dump(2) + "\n]"), expected) << "pretty JSON array";
    EXPECT_EQ(Verdict(DecodeMsgpackBatch(ToMsgpack(json::array({event})))), expected) << "msgpack";
  }
}

// Escapes count as the compact JSON form writes them: "\u00e9" is the two bytes of é, "\/" is
// "/"; a float counts as its shortest form. So an event typed with escapes, or converted to
// msgpack, measures the same.
TEST(EventCodecTest, EventSizeCountsEscapesAndNumbersAsCompactJsonWritesThem) {
  const std::string text = R"({"id":"e\u00e9\/","type":"footfall","ts":"2026-11-22T10:15:00Z",)"
                           R"("sensor":"d\"\n\u0001","period_s":900.0,"in":4,"out":3,"pad":"")";
  // Compact, the text is 7 bytes shorter: "\u00e9" is é (2 bytes, not 6), "\/" is "/", 900.0 is
  // 900; "\"", "\n" and "\u0001" are written as they are.
  const size_t compact = text.size() + 1 - 7;
  const auto with_pad = [&](size_t total) {
    return text.substr(0, text.size() - 1) + std::string(total - compact, 'p') + "\"}";
  };
  for (const size_t size : {kMaxEventBytes, kMaxEventBytes + 1}) {
    const std::string line = with_pad(size);
    const std::string expected =
        size <= kMaxEventBytes ? "OK" : "event is 65537 bytes, over the 65536-byte limit";
    EXPECT_EQ(JsonVerdict(line), expected);
    EXPECT_EQ(JsonVerdict("[" + line + "]"), expected);
    EXPECT_EQ(Verdict(DecodeMsgpackBatch(ToMsgpack(json::array({json::parse(line)})))), expected);
  }
}

// Nesting is judged per event in every encoding, JSON Lines included.
TEST(EventCodecTest, NestingLimitIsTheSameInEveryEncoding) {
  const auto with_junk = [](int levels) {
    std::string junk = "0";
    for (int i = 0; i < levels; ++i) junk = "[" + junk + "]";
    return Replace(testing::kStockJson, R"("sku")", R"("junk":)" + junk + R"(,"sku")");
  };
  // The event's own object is level 1: 31 arrays inside it are 32 levels, 32 arrays are 33.
  for (const int arrays : {31, 32}) {
    const std::string event = with_junk(arrays);
    const std::string expected = arrays == 31 ? "OK" : "event nests deeper than 32 levels";
    EXPECT_EQ(JsonVerdict(event), expected) << "JSON Lines";
    EXPECT_EQ(JsonVerdict("[" + event + "]"), expected) << "JSON array";
    EXPECT_EQ(Verdict(DecodeMsgpackBatch(MsgpackBatchOf(event))), expected) << "msgpack";
  }
}

// ---------------------------------------------------------------- batches

TEST(EventCodecTest, BadJsonLineSpoilsOnlyItself) {
  const std::string body = std::string(testing::kSaleJson) + "\n\n" + R"({"id":"broken","type":)" +
                           "\r\n" + testing::kStockJson + "\n";
  const std::vector<DecodedEvent> events = Elements(DecodeJsonBatch(body));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(*events[0].event, testing::SampleSale());
  EXPECT_EQ(events[1].id, "");
  EXPECT_EQ(events[1].event.status().message(),
            "line 3 is not valid JSON: parse error at column 23: syntax error while parsing value "
            "- unexpected end of input; expected '[', '{', or a literal");
  EXPECT_EQ(*events[2].event, testing::SampleStock());
}

TEST(EventCodecTest, JsonLinesElementsMustBeObjects) {
  const std::vector<DecodedEvent> events =
      Elements(DecodeJsonBatch("42\n[1,2]\n" + std::string(testing::kStockJson)));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].event.status().message(), "event must be an object, got 42");
  EXPECT_EQ(events[1].event.status().message(), "event must be an object, got an array");
  EXPECT_TRUE(events[2].event.ok());
}

TEST(EventCodecTest, JsonArrayThatDoesNotParseFailsTheWholeBatch) {
  const std::string body = "[" + std::string(testing::kSaleJson) + ",\n" + testing::kStockJson;
  const StatusOr<std::vector<DecodedEvent>> batch = DecodeJsonBatch(body);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(batch.status().message(),
            "body is not valid JSON: parse error at line 2, column 104: syntax error while parsing "
            "array - unexpected end of input; expected ']'");
}

TEST(EventCodecTest, ArrayElementsAreJudgedOneByOne) {
  const std::string body =
      "[1, \"x\", null, " + std::string(testing::kSaleJson) + R"(, {"id":"q","type":"sail"}])";
  const std::vector<DecodedEvent> events = Elements(DecodeJsonBatch(body));
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[0].event.status().message(), "event must be an object, got 1");
  EXPECT_EQ(events[1].event.status().message(), "event must be an object, got \"x\"");
  EXPECT_EQ(events[2].event.status().message(), "event must be an object, got null");
  EXPECT_TRUE(events[3].event.ok());
  EXPECT_EQ(events[4].id, "q");
  EXPECT_NE(events[4].event.status().message().find("unknown type \"sail\""), std::string::npos);
}

TEST(EventCodecTest, EmptyBodiesAreEmptyBatches) {
  for (const char* body : {"", " \r\n\t\n", "[]", " [ ] ", "\xEF\xBB\xBF"}) {
    EXPECT_TRUE(Elements(DecodeJsonBatch(body)).empty()) << body;
  }
  EXPECT_TRUE(Elements(DecodeMsgpackBatch(Packed([](auto& p) { p.pack_array(0); }))).empty());
  EXPECT_EQ(Elements(DecodeJsonBatch("\xEF\xBB\xBF" + std::string(testing::kStockJson))).size(),
            1u);
}

TEST(EventCodecTest, BatchOfMoreThan10000EventsIsRefusedWhole) {
  std::vector<Event> events(kMaxBatchEvents, testing::SampleFootfall());
  for (const std::string& body : {EncodeJsonLines(events), EncodeMsgpackBatch(events)}) {
    const bool is_json = body[0] == '{';
    const auto batch = is_json ? DecodeJsonBatch(body) : DecodeMsgpackBatch(body);
    ASSERT_TRUE(batch.ok());
    EXPECT_EQ(batch->size(), kMaxBatchEvents);
  }
  events.push_back(testing::SampleFootfall());
  json array = json::array();
  for (size_t i = 0; i < events.size(); ++i) array.push_back(json::parse(testing::kFootfallJson));
  for (const auto& batch : {DecodeJsonBatch(EncodeJsonLines(events)), DecodeJsonBatch(array.dump()),
                            DecodeMsgpackBatch(EncodeMsgpackBatch(events))}) {
    ASSERT_FALSE(batch.ok());
    EXPECT_EQ(batch.status().code(), StatusCode::kResourceExhausted);
    EXPECT_EQ(batch.status().message(), "batch has 10001 events, over the 10000-event limit");
  }
}

TEST(EventCodecTest, BodyOver16MiBIsRefusedWhole) {
  const std::string body(kMaxBatchBytes + 1, ' ');
  for (const auto& batch : {DecodeJsonBatch(body), DecodeMsgpackBatch(body)}) {
    ASSERT_FALSE(batch.ok());
    EXPECT_EQ(batch.status().code(), StatusCode::kResourceExhausted);
    EXPECT_EQ(batch.status().message(), "batch is 16777217 bytes, over the 16777216-byte limit");
  }
}

// ---------------------------------------------------------------- hostile msgpack and nesting

TEST(EventCodecTest, MsgpackBodyMustBeAnArrayOfMaps) {
  const auto message = [](const std::string& bytes) {
    const auto batch = DecodeMsgpackBatch(bytes);
    return batch.ok() ? std::string("OK") : batch.status().message();
  };
  EXPECT_EQ(message(Packed([](auto& p) { p.pack_map(0); })),
            "body must be a msgpack array of event maps, got an object");
  EXPECT_EQ(message(""), "body is empty, not msgpack");
  const std::string batch = MsgpackBatchOf(testing::kSaleJson);
  EXPECT_EQ(
      message(batch.substr(0, batch.size() - 3)),
      "body is not valid msgpack: truncated (" + std::to_string(batch.size() - 3) + " bytes)");
  EXPECT_EQ(message(batch + "\xc0"),
            "body is not valid msgpack: 1 bytes after the end of the value");
  EXPECT_EQ(message("\xc1"), "body is not valid msgpack: parse error");
  // A header that claims 2^32-1 elements is refused before anything is allocated for them.
  EXPECT_EQ(message("\xdd\xff\xff\xff\xff\xc0"), "body is not valid msgpack: truncated (6 bytes)");
  EXPECT_EQ(message("\xdf\xff\xff\xff\xff\xc0\xc0"),
            "body must be a msgpack array of event maps, got an object");
  EXPECT_EQ(message("\xa3"
                    "abc"),
            "body must be a msgpack array of event maps, got \"abc\"");
}

TEST(EventCodecTest, MsgpackMapWithNonStringKeys) {
  const std::string top = Packed([](auto& p) {
    p.pack_array(1);
    p.pack_map(2);
    p.pack(std::string("id")), p.pack(std::string("k1"));
    p.pack_int(7), p.pack(std::string("seven"));
  });
  EXPECT_EQ(Verdict(DecodeMsgpackBatch(top)), "event: field names must be strings");
  const std::string in_line = Packed([](auto& p) {
    p.pack_array(1);
    p.pack_map(5);
    p.pack(std::string("id")), p.pack(std::string("k2"));
    p.pack(std::string("type")), p.pack(std::string("sale"));
    p.pack(std::string("ts")), p.pack_int64(testing::kTsMs);
    p.pack(std::string("txn")), p.pack(std::string("T"));
    p.pack(std::string("lines")), p.pack_array(1), p.pack_map(1);
    p.pack_array(0), p.pack(std::string("sku"));
  });
  const std::vector<DecodedEvent> events = Elements(DecodeMsgpackBatch(in_line));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].id, "k2");
  EXPECT_EQ(events[0].event.status().message(), "field 'lines[0]': field names must be strings");
}

TEST(EventCodecTest, MsgpackRepeatedFieldIsRefused) {
  const std::string bytes = Packed([](auto& p) {
    p.pack_array(1);
    p.pack_map(2);
    p.pack(std::string("id")), p.pack(std::string("a"));
    p.pack(std::string("id")), p.pack(std::string("b"));
  });
  EXPECT_EQ(Verdict(DecodeMsgpackBatch(bytes)), "field 'id': appears more than once");
}

TEST(EventCodecTest, MsgpackStringsMustBeUtf8) {
  std::string body = MsgpackBatchOf(testing::kStockJson);
  body = Replace(body, "sku-a", "sku\xff\xfe");
  EXPECT_EQ(Verdict(DecodeMsgpackBatch(body)),
            "field 'sku': must be valid UTF-8, got \"sku\\xff\\xfe\"");
  body = Replace(MsgpackBatchOf(testing::kStockJson), "st-1", "s\x01\"\xc3");
  const std::vector<DecodedEvent> events = Elements(DecodeMsgpackBatch(body));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].id, "");  // not usable as a best-effort id either
  EXPECT_EQ(events[0].event.status().message(),
            "field 'id': must be valid UTF-8, got \"s\\x01\\\"\\xc3\"");
}

// Valid UTF-8, but PostgreSQL's text cannot hold it: refused at the edge, and by central's own
// check of what an edge sends, in either format.
TEST(EventCodecTest, StringsMustNotHoldU0000) {
  std::string body = MsgpackBatchOf(testing::kStockJson);
  body = Replace(body, "sku-a", std::string("sku\0a", 5));
  EXPECT_EQ(Verdict(DecodeMsgpackBatch(body)),
            "field 'sku': must not contain U+0000 (NUL), got \"sku\\x00a\"");
  EXPECT_EQ(JsonVerdict(Replace(testing::kStockJson, "sku-a", "sku\\u0000a")),
            "field 'sku': must not contain U+0000 (NUL), got \"sku\\x00a\"");
}

TEST(EventCodecTest, EchoedValuesAreCutTo40Characters) {
  const std::string long_type(100, 'q');
  const std::string message =
      JsonVerdict(Replace(testing::kSaleJson, R"("sale")", '"' + long_type + '"'));
  EXPECT_EQ(message, "field 'type': unknown type \"" + std::string(40, 'q') +
                         "\xE2\x80\xA6\" (expected sale, return, footfall, stock, order, feedback, "
                         "labour, customer_link)");
  const std::string accents = JsonVerdict(
      Replace(testing::kSaleJson, R"("sale")",
              '"' + std::string(30, 'a') + "\xC3\xA9\xC3\xA9" + std::string(20, 'b') + '"'));
  EXPECT_NE(accents.find(std::string(30, 'a') + "\xC3\xA9\xC3\xA9" + std::string(8, 'b') +
                         "\xE2\x80\xA6\""),
            std::string::npos);
}

std::string Nested(int depth, std::string_view open, std::string_view close) {
  std::string text;
  for (int i = 0; i < depth; ++i) text += open;
  text += "0";
  for (int i = 0; i < depth; ++i) text += close;
  return text;
}

TEST(EventCodecTest, DeeplyNestedJunkIsRefusedWithoutCrashing) {
  const std::string junk32 =
      Replace(testing::kStockJson, R"("sku")", R"("junk":)" + Nested(30, "[", "]") + R"(,"sku")");
  const std::string junk33 =
      Replace(testing::kStockJson, R"("sku")", R"("junk":)" + Nested(32, "[", "]") + R"(,"sku")");
  EXPECT_EQ(JsonVerdict("[" + junk32 + "]"), "OK");
  EXPECT_EQ(JsonVerdict("[" + junk33 + "]"), "event nests deeper than 32 levels");
  EXPECT_EQ(Verdict(DecodeMsgpackBatch(MsgpackBatchOf(junk33))),
            "event nests deeper than 32 levels");
  // Far deeper: the parsers do not recurse; the array element is refused, the batch survives.
  const std::string abyss = Nested(200'000, R"({"a":[)", "]}");
  const std::vector<DecodedEvent> events =
      Elements(DecodeJsonBatch("[" + abyss + "," + testing::kStockJson + "]"));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].event.status().message(), "event nests deeper than 32 levels");
  EXPECT_TRUE(events[1].event.ok());
  // In JSON Lines too, however deep, with the id kept.
  EXPECT_EQ(JsonVerdict(Replace(testing::kStockJson, R"("sku")",
                                R"("junk":)" + Nested(1'000'000, "[", "]") + R"(,"sku")")),
            "event nests deeper than 32 levels");
  EXPECT_EQ(Elements(DecodeJsonBatch(Replace(testing::kStockJson, R"("sku")",
                                             R"("junk":)" + Nested(100, "[", "]") + R"(,"sku")")))
                .at(0)
                .id,
            "st-1");
  // msgpack nesting beyond the parser's limit (its stack grows per level) fails the body whole.
  std::string deep_msgpack(1000, '\x91');
  deep_msgpack += '\xc0';
  const auto batch = DecodeMsgpackBatch(deep_msgpack);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().message(), "body nests deeper than 256 levels");
  std::string deep_but_parsable = "\x91" + std::string(200, '\x91') + "\xc0";
  EXPECT_EQ(Verdict(DecodeMsgpackBatch(deep_but_parsable)), "event nests deeper than 32 levels");
}

// ---------------------------------------------------------------- producer encodings

TEST(EventCodecTest, ProducerEncodingsRoundTripEveryType) {
  std::vector<Event> events;
  for (const Sample& sample : AllSamples()) events.push_back(sample.event);
  Event no_promise = testing::SampleOrder();
  no_promise.promised_ms.reset();
  no_promise.status = OrderStatus::kReady;
  no_promise.reason = "";
  events.push_back(no_promise);
  const std::vector<DecodedEvent> from_lines = Elements(DecodeJsonBatch(EncodeJsonLines(events)));
  const std::vector<DecodedEvent> from_msgpack =
      Elements(DecodeMsgpackBatch(EncodeMsgpackBatch(events)));
  ASSERT_EQ(from_lines.size(), events.size());
  ASSERT_EQ(from_msgpack.size(), events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(*from_lines[i].event, events[i]);
    EXPECT_EQ(*from_msgpack[i].event, events[i]);
    EXPECT_EQ(DecodeOne(EncodeJsonEvent(events[i])), events[i]);
  }
}

// `reason` is required when an order is cancelled, so the encoders must write it even empty: the
// decoder took {"status":"cancelled","reason":""} and its JSON and msgpack re-encodings, which
// left the empty reason out, were refused "field 'reason': missing" (found by
// tests/fuzz/json_event_fuzzer). The validator refuses the empty reason; the codec round-trips it.
TEST(EventCodecTest, ACancelledOrdersEmptyReasonRoundTrips) {
  const Event order = DecodeOne(
      R"({"id":"o1","type":"order","ts":1795338900000,"order":"O-1","kind":"click_collect",)"
      R"("status":"cancelled","reason":""})");
  ASSERT_EQ(order.id, "o1");
  EXPECT_EQ(Verdict(DecodeJsonBatch(EncodeJsonEvent(order))), "OK");
  EXPECT_EQ(DecodeOne(EncodeJsonEvent(order)), order);
  EXPECT_EQ(Verdict(DecodeMsgpackBatch(EncodeMsgpackBatch({order}))), "OK");
}

TEST(EventCodecTest, EncodeJsonEventWritesOnlyTheTypesFields) {
  Event footfall = testing::SampleFootfall();
  footfall.sku = "not a footfall field";
  footfall.lines = {{"x", 1, 1, 0}};
  EXPECT_EQ(EncodeJsonEvent(footfall),
            R"({"id":"ff-1","type":"footfall","ts":"2026-11-22T09:15:00.000Z","sensor":"door-1",)"
            R"("period_s":900,"in":42,"out":37})");
  EXPECT_EQ(EncodeJsonEvent(testing::SampleOrder()),
            R"({"id":"ord-1","type":"order","ts":"2026-11-22T09:15:00.000Z","order":"O-77",)"
            R"("kind":"ship_from_store","status":"cancelled","source":"warehouse",)"
            R"("reason":"stock_error","promised":"2026-11-23T18:00:00.000Z"})");
  EXPECT_EQ(EncodeJsonLines({testing::SampleStock(), testing::SampleStock()}),
            std::string(R"({"id":"st-1","type":"stock","ts":"2026-11-22T09:15:00.000Z",)"
                        R"("sku":"sku-a","kind":"adjustment","qty":-3})") +
                "\n" + R"({"id":"st-1","type":"stock","ts":"2026-11-22T09:15:00.000Z",)" +
                R"("sku":"sku-a","kind":"adjustment","qty":-3})" + "\n");
}

TEST(EventCodecTest, EncodingNeverThrows) {
  Event odd = testing::SampleStock();
  odd.sku = "bad \xff utf-8";
  odd.ts_ms = INT64_MIN;  // no RFC 3339 form: written as integer ms, still round-trips
  EXPECT_NE(EncodeJsonEvent(odd).find("\xEF\xBF\xBD"), std::string::npos);
  odd.sku = "ok";
  EXPECT_EQ(DecodeOne(EncodeJsonEvent(odd)), odd);
  EXPECT_EQ(DecodeStored(EncodeStored(odd)).value(), odd);
}

TEST(EventCodecTest, JsonTimestampsRoundTripOutsideRfc3339Years) {
  Event e = testing::SampleStock();
  for (int64_t ts : {int64_t{-30'610'224'000'001}, int64_t{-30'610'224'000'000}, int64_t{0},
                     int64_t{253'402'300'799'999}, int64_t{253'402'300'800'000}}) {
    e.ts_ms = ts;
    EXPECT_EQ(DecodeOne(EncodeJsonEvent(e)).ts_ms, ts);
  }
  e.ts_ms = -30'610'224'000'000;
  EXPECT_NE(EncodeJsonEvent(e).find(R"("ts":"1000-01-01T00:00:00.000Z")"), std::string::npos);
  e.ts_ms = 253'402'300'800'000;
  EXPECT_NE(EncodeJsonEvent(e).find(R"("ts":253402300800000)"), std::string::npos);
}

// ---------------------------------------------------------------- stored encoding

Event EveryMemberSet() {
  Event e;
  e.id = "all";
  e.type = EventType::kFeedback;
  e.ts_ms = -5;
  e.store = "s9";
  e.txn = "t";
  e.channel = Channel::kMobile;
  e.till = "till";
  e.employee = "emp";
  e.customer = "cust";
  e.lines = {{"a", -1, INT64_MAX, INT64_MIN}, {"", 0, 0, 0}};
  e.original_txn = "ot";
  e.original_channel = Channel::kShipFromStore;
  e.reason = "why";
  e.restock = false;
  e.sensor = "sen";
  e.period_s = 1;
  e.in = 2;
  e.out = 3;
  e.sku = "sku";
  e.stock_kind = StockKind::kCount;
  e.qty = -4;
  e.order = "o";
  e.order_kind = OrderKind::kReserve;
  e.status = OrderStatus::kDelivered;
  e.source = OrderSource::kWarehouse;
  e.promised_ms = INT64_MIN;
  e.scale = FeedbackScale::kCsat;
  e.score = INT64_MAX;
  e.credits = {{"c1", INT64_MIN}, {"", INT64_MAX}};
  return e;
}

TEST(EventCodecTest, StoredEncodingRoundTripsEveryTypeAndMember) {
  std::vector<Event> events;
  for (const Sample& sample : AllSamples()) events.push_back(sample.event);
  events.push_back(EveryMemberSet());
  events.push_back(Event{});
  for (const Event& event : events) {
    const StatusOr<Event> decoded = DecodeStored(EncodeStored(event));
    ASSERT_TRUE(decoded.ok()) << decoded.status().message();
    EXPECT_EQ(*decoded, event);
  }
}

TEST(EventCodecTest, StoredLayoutIsAVersionedPositionalArray) {
  const std::string bytes = EncodeStored(testing::SampleFootfall());
  const json array = json::from_msgpack(bytes);
  ASSERT_TRUE(array.is_array());
  EXPECT_EQ(array.size(), 33u);
  EXPECT_EQ(array[0], 1);               // format version
  EXPECT_EQ(array[1], "ff-1");          // id
  EXPECT_EQ(array[2], 2);               // type: footfall
  EXPECT_EQ(array[3], testing::kTsMs);  // ts_ms
  EXPECT_EQ(array[10], json::array());  // lines
  EXPECT_EQ(array[15], "door-1");       // sensor
  EXPECT_EQ(array[16], 900);            // period_s
  EXPECT_EQ(array[26], nullptr);        // promised
  EXPECT_EQ(array[29], json::array());  // credits
  EXPECT_EQ(array[30], nullptr);        // staff (labour)
  EXPECT_EQ(array[31], nullptr);        // hours_s (labour)
  EXPECT_EQ(array[32], "");             // alias (customer_link)
  EXPECT_EQ(json::from_msgpack(EncodeStored(testing::SampleCustomerLink()))[32], "ann@example.com");
  const json sale = json::from_msgpack(EncodeStored(testing::SampleSale()));
  EXPECT_EQ(sale[10][0], json::array({"sku-a", 2, 1250, 100}));
  const json shared = json::from_msgpack(EncodeStored(testing::SampleSharedSale()));
  EXPECT_EQ(shared[29],
            json::array({json::array({"emp-3", 333'333}), json::array({"emp-7", 666'667})}));
  std::string appended = "prefix";
  AppendStored(testing::SampleSale(), &appended);
  AppendStored(testing::SampleFootfall(), &appended);
  EXPECT_EQ(appended, "prefix" + EncodeStored(testing::SampleSale()) + bytes);
}

std::string StoredMessage(const json& array) {
  const StatusOr<Event> decoded = DecodeStored(ToMsgpack(array));
  return decoded.ok() ? "OK" : decoded.status().message();
}

TEST(EventCodecTest, StoredDecodingRefusesCorruption) {
  const json good = json::from_msgpack(EncodeStored(testing::SampleSale()));
  EXPECT_EQ(StoredMessage(good), "OK");
  json extended = good;
  extended.push_back("a member from a later build");
  EXPECT_EQ(DecodeStored(ToMsgpack(extended)).value(), testing::SampleSale());
  const auto with = [&](size_t index, const json& value) {
    json changed = good;
    changed[index] = value;
    return StoredMessage(changed);
  };
  EXPECT_EQ(with(0, 2), "stored event has an unknown format version (this build reads 1)");
  EXPECT_EQ(with(2, 8), "stored event is corrupt: type must be an integer below 8");
  EXPECT_EQ(with(32, 5), "stored event is corrupt: alias must be a string");
  EXPECT_EQ(with(6, -1), "stored event is corrupt: channel must be an integer below 5");
  EXPECT_EQ(with(1, std::string(65, 'x')),
            "stored event is corrupt: id must be UTF-8 of at most 64 bytes");
  EXPECT_EQ(with(3, "soon"), "stored event is corrupt: ts_ms must be a 64-bit integer");
  EXPECT_EQ(with(3, UINT64_MAX), "stored event is corrupt: ts_ms must be a 64-bit integer");
  EXPECT_EQ(with(10, json::array({json::array({"a", 1, 2})})),
            "stored event is corrupt: line must be an array of 4 elements");
  EXPECT_EQ(with(14, 1), "stored event is corrupt: restock must be a boolean");
  EXPECT_EQ(with(26, "x"), "stored event is corrupt: promised_ms must be a 64-bit integer");
  EXPECT_EQ(with(29, json::array({json::array({"ana"})})),
            "stored event is corrupt: credit must be an array of 2 elements");
  EXPECT_EQ(with(29, json::array({json::array({"ana", 0.5})})),
            "stored event is corrupt: credit share_ppm must be a 64-bit integer");
  EXPECT_EQ(with(30, "x"), "stored event is corrupt: staff must be a 64-bit integer");
  EXPECT_EQ(with(31, 1.5), "stored event is corrupt: hours_s must be a 64-bit integer");
  // What a build before issue 15 stored (29 elements): read, without credits, labour or alias.
  json before_issue15 = good;
  for (int i = 32; i >= 29; --i) before_issue15.erase(i);
  EXPECT_EQ(DecodeStored(ToMsgpack(before_issue15)).value(), testing::SampleSale());
  json short_array = before_issue15;
  short_array.erase(28);
  EXPECT_EQ(StoredMessage(short_array),
            "stored event is corrupt: 28 elements, version 1 has at least 29");
  EXPECT_EQ(StoredMessage(json::object()), "stored event is corrupt: not a msgpack array");
  EXPECT_EQ(DecodeStored("").status().message(), "stored event is empty, not msgpack");
  EXPECT_EQ(DecodeStored(EncodeStored(testing::SampleSale()) + "x").status().message(),
            "stored event is not valid msgpack: 1 bytes after the end of the value");
}

TEST(EventCodecTest, ParseErrorsAreShortAndValidUtf8) {
  const std::string unterminated = R"({"id":"x","sku":")" + std::string(60'000, 's') + "\xff";
  const std::string bad_utf8 = "{\"id\":\"x\xff\xfe\",\"type\":\"sale\"}";
  for (const std::string& body : {unterminated, bad_utf8, "[" + bad_utf8 + "]"}) {
    const auto batch = DecodeJsonBatch(body);
    const Status status = batch.ok() ? (*batch)[0].event.status() : batch.status();
    EXPECT_FALSE(status.ok());
    EXPECT_LT(status.message().size(), 300u) << status.message();
    EXPECT_TRUE(IsValidUtf8(status.message())) << status.message();
  }
  EXPECT_EQ(JsonVerdict(bad_utf8),
            "line 1 is not valid JSON: parse error at column 9: syntax error while parsing value - "
            "invalid string: ill-formed UTF-8 byte; last read: '\\\"x\\xff'");
}

TEST(EventCodecMessageTest, Utf8Validity) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x9B\x92"));  // é € 🛒
  EXPECT_FALSE(IsValidUtf8("\xC3"));                                      // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));                                  // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));                              // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));                          // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(EventCodecMessageTest, QuotingEscapesAndCuts) {
  EXPECT_EQ(QuoteForMessage("abc"), "\"abc\"");
  EXPECT_EQ(QuoteForMessage("a\"b\\c\n\x7f"), "\"a\\\"b\\\\c\\x0a\\x7f\"");
  EXPECT_EQ(QuoteForMessage("\xC3\xA9\xC3", 5), "\"\xC3\xA9\\xc3\"");
  EXPECT_EQ(QuoteForMessage("abcdef", 3), "\"abc\xE2\x80\xA6\"");
  EXPECT_EQ(QuoteForMessage("ab\xE2\x82\xAC", 3), "\"ab\xE2\x82\xAC\"");  // cut on characters
  EXPECT_EQ(EscapeForMessage("x\ty", 10), "x\\x09y");
}

// ---------------------------------------------------------------- fuzzing (fixed seeds)

// Flips, drops, inserts or truncates a few bytes of `bytes`.
std::string Mutate(std::string bytes, std::mt19937& rng) {
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits && !bytes.empty(); ++i) {
    const size_t at = rng() % bytes.size();
    switch (rng() % 4) {
      case 0:
        bytes[at] = static_cast<char>(rng());
        break;
      case 1:
        bytes.erase(at, 1 + rng() % 4);
        break;
      case 2:
        bytes.insert(at, 1, static_cast<char>(rng()));
        break;
      default:
        bytes.resize(at);
        break;
    }
  }
  return bytes;
}

std::string RandomBytes(std::mt19937& rng) {
  std::string bytes(rng() % 300, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  if (!bytes.empty() && rng() % 2 == 0) bytes[0] = static_cast<char>(0x90 + rng() % 16);
  return bytes;
}

// Each decoded element is an error with a message, or an event that survives the stored codec.
// Messages are short, valid UTF-8 (they go into JSON answers) and never empty.
void ExpectPrintable(const Status& status) {
  EXPECT_FALSE(status.message().empty());
  EXPECT_LT(status.message().size(), 600u);
  EXPECT_TRUE(IsValidUtf8(status.message())) << status.message();
}

void ExpectSane(const StatusOr<std::vector<DecodedEvent>>& batch) {
  if (!batch.ok()) {
    ExpectPrintable(batch.status());
    return;
  }
  for (const DecodedEvent& element : *batch) {
    EXPECT_TRUE(IsValidUtf8(element.id));
    if (!element.event.ok()) {
      ExpectPrintable(element.event.status());
      continue;
    }
    EXPECT_EQ(DecodeStored(EncodeStored(*element.event)).value(), *element.event);
    (void)ValidateEvent(*element.event, {"s1", testing::kNowMs});
  }
}

TEST(EventCodecTest, FuzzedMsgpackBatchesNeverCrash) {
  std::mt19937 rng(20261122);
  std::vector<Event> events;
  for (const Sample& sample : AllSamples()) events.push_back(sample.event);
  const std::string valid = EncodeMsgpackBatch(events);
  const std::string valid_nlohmann = MsgpackBatchOf(testing::kSaleJson);
  for (int i = 0; i < 4000; ++i) {
    const std::string bytes = i % 3 == 0   ? RandomBytes(rng)
                              : i % 3 == 1 ? Mutate(valid, rng)
                                           : Mutate(valid_nlohmann, rng);
    ExpectSane(DecodeMsgpackBatch(bytes));
  }
}

TEST(EventCodecTest, FuzzedStoredEventsNeverCrash) {
  std::mt19937 rng(42);
  std::vector<std::string> valid;
  for (const Sample& sample : AllSamples()) valid.push_back(EncodeStored(sample.event));
  int decoded = 0;
  for (int i = 0; i < 4000; ++i) {
    const std::string bytes =
        i % 4 == 0 ? RandomBytes(rng) : Mutate(valid[rng() % valid.size()], rng);
    const StatusOr<Event> event = DecodeStored(bytes);
    if (!event.ok()) {
      ExpectPrintable(event.status());
      continue;
    }
    ++decoded;
    EXPECT_EQ(DecodeStored(EncodeStored(*event)).value(), *event);
  }
  EXPECT_GT(decoded, 0);  // some mutations (a changed digit) still decode
}

TEST(EventCodecTest, FuzzedJsonBatchesNeverCrash) {
  std::mt19937 rng(7);
  std::string lines;
  json array = json::array();
  for (const Sample& sample : AllSamples()) {
    lines += sample.json + "\n";
    array.push_back(json::parse(sample.json));
  }
  const std::string as_array = array.dump();
  for (int i = 0; i < 3000; ++i) {
    const std::string body = Mutate(i % 2 == 0 ? lines : as_array, rng);
    ExpectSane(DecodeJsonBatch(body));
  }
}

}  // namespace
}  // namespace storepulse::common

namespace storepulse::common {
namespace {

// ---------------------------------------------------------------- shared credit

// A sale's `credits`, decoded alike from JSON and msgpack: shares as numbers, kept in millionths
// (rounded to the nearest), and every shape error named at its member.
TEST(EventCodecTest, CreditsDecodeToMillionthsAndTheirShapeErrorsNameTheMember) {
  const auto with_credits = [](const std::string& credits) {
    return Replace(
        testing::kSharedSaleJson,
        R"([{"employee":"emp-3","share":0.333333},{"employee":"emp-7","share":0.666667}])",
        credits);
  };
  const auto both = [](const std::string& body) {
    const std::string from_json = JsonVerdict(body);
    EXPECT_EQ(Verdict(DecodeMsgpackBatch(ToMsgpack(json::array({json::parse(body)})))), from_json)
        << body;
    return from_json;
  };
  const Event thirds =
      DecodeOne(with_credits(R"([{"employee":"a","share":0.3333333},{"employee":"b","share":1}])"));
  ASSERT_EQ(thirds.credits.size(), 2u);
  EXPECT_EQ(thirds.credits[0], (Credit{"a", 333'333}));
  EXPECT_EQ(thirds.credits[1], (Credit{"b", 1'000'000}));
  EXPECT_EQ(DecodeOne(Replace(testing::kSharedSaleJson, R"("credits":)", R"("x":)")).credits,
            std::vector<Credit>{});
  EXPECT_EQ(both(with_credits("{}")),
            "field 'credits': must be an array of {employee, share}, got an object");
  EXPECT_EQ(both(with_credits("[]")), "field 'credits': must hold 1 to 10 credits, got 0");
  EXPECT_EQ(both(with_credits(R"(["ana"])")), "field 'credits[0]': must be an object, got \"ana\"");
  EXPECT_EQ(both(with_credits(R"([{"share":1}])")), "field 'credits[0].employee': missing");
  EXPECT_EQ(both(with_credits(R"([{"employee":"a"}])")), "field 'credits[0].share': missing");
  EXPECT_EQ(both(with_credits(R"([{"employee":"a","share":"1/2"}])")),
            "field 'credits[0].share': must be a number, got \"1/2\"");
  EXPECT_EQ(both(with_credits(R"([{"employee":"a","share":0}])")),
            "field 'credits[0].share': must be a number more than 0 and at most 1, got 0");
  EXPECT_EQ(both(with_credits(R"([{"employee":"a","share":1.5}])")),
            "field 'credits[0].share': must be a number more than 0 and at most 1, got 1.5");
  EXPECT_EQ(both(with_credits(R"([{"employee":"a","share":18446744073709551615}])")),
            "field 'credits[0].share': must be a number more than 0 and at most 1, got "
            "18446744073709551615");
  EXPECT_EQ(both(with_credits(R"([{"employee":"a","share":-0.5}])")),
            "field 'credits[0].share': must be a number more than 0 and at most 1, got -0.5");
  EXPECT_EQ(both(with_credits(R"([{"employee":"a","share":0.0000004}])")),
            "field 'credits[0].share': must be at least 0.000001 (shares are kept in millionths), "
            "got 4e-07");
  std::string eleven = "[";
  for (int i = 0; i < 11; ++i)
    eleven +=
        std::string(i ? "," : "") + R"({"employee":"e)" + std::to_string(i) + R"(","share":0.1})";
  EXPECT_EQ(both(with_credits(eleven + "]")), "field 'credits': must hold 1 to 10 credits, got 11");
}

TEST(EventCodecTest, FormatShareWritesMillionthsAsAShortDecimal) {
  EXPECT_EQ(FormatShare(500'000), "0.5");
  EXPECT_EQ(FormatShare(333'333), "0.333333");
  EXPECT_EQ(FormatShare(1'000'000), "1");
  EXPECT_EQ(FormatShare(1'001'000), "1.001");
  EXPECT_EQ(FormatShare(1), "0.000001");
  EXPECT_EQ(FormatShare(0), "0");
  EXPECT_EQ(FormatShare(-20), "-0.00002");
}

}  // namespace
}  // namespace storepulse::common
