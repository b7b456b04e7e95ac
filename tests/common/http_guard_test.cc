// The pieces of common/http/ that judge a request before it is served: the per-client cap, the
// body framings read, and the query parameter rules.
#include <gtest/gtest.h>

#include "common/http/body_framing.h"
#include "common/http/client_slots.h"
#include "common/http/query_params.h"

namespace storepulse::common {
namespace {

httplib::Request WithHeaders(std::initializer_list<std::pair<std::string, std::string>> headers) {
  httplib::Request req;
  req.method = "POST";
  for (const auto& [name, value] : headers) req.headers.emplace(name, value);
  return req;
}

TEST(ClientSlotsTest, CapsEachAddressAndGivesSlotsBack) {
  ClientSlots slots(2);
  auto a1 = slots.TryTake("10.0.0.1");
  auto a2 = slots.TryTake("10.0.0.1");
  ASSERT_TRUE(a1 && a2);
  EXPECT_FALSE(slots.TryTake("10.0.0.1"));
  EXPECT_TRUE(slots.TryTake("10.0.0.2"));  // another client is not affected
  a1.reset();
  EXPECT_TRUE(slots.TryTake("10.0.0.1"));
}

TEST(ClientSlotsTest, ZeroMeansNoCap) {
  ClientSlots slots(0);
  std::vector<ClientSlots::Slot> held;
  for (int i = 0; i < 100; ++i) {
    auto slot = slots.TryTake("10.0.0.1");
    ASSERT_TRUE(slot);
    held.push_back(std::move(*slot));
  }
}

TEST(ClientSlotsTest, TheCapMustLeaveWorkersToOthers) {
  EXPECT_TRUE(CheckConnectionsPerClient(6, 16).ok());
  EXPECT_TRUE(CheckConnectionsPerClient(0, 1).ok());
  EXPECT_FALSE(CheckConnectionsPerClient(16, 16).ok());
  EXPECT_FALSE(CheckConnectionsPerClient(-1, 16).ok());
}

TEST(BodyFramingTest, ReadsContentLengthAndChunked) {
  BodyFraming length = ReadBodyFraming(WithHeaders({{"Content-Length", "42"}}));
  EXPECT_EQ(length.refusal, 0);
  EXPECT_TRUE(length.has_body);
  EXPECT_FALSE(length.chunked);
  EXPECT_EQ(length.length, 42u);
  BodyFraming chunked = ReadBodyFraming(WithHeaders({{"Transfer-Encoding", "Chunked"}}));
  EXPECT_EQ(chunked.refusal, 0);
  EXPECT_TRUE(chunked.chunked);
  EXPECT_FALSE(ReadBodyFraming(WithHeaders({{"Content-Length", "0"}})).has_body);
}

TEST(BodyFramingTest, RefusesFramingsItCannotRead) {
  EXPECT_EQ(ReadBodyFraming(WithHeaders({})).refusal, 411);
  EXPECT_EQ(ReadBodyFraming(WithHeaders({{"Transfer-Encoding", "gzip, chunked"}})).refusal, 501);
  EXPECT_EQ(
      ReadBodyFraming(WithHeaders({{"Transfer-Encoding", "chunked"}, {"Content-Length", "5"}}))
          .refusal,
      400);
  EXPECT_EQ(ReadBodyFraming(WithHeaders({{"Content-Length", "-1"}})).refusal, 400);
  EXPECT_EQ(ReadBodyFraming(WithHeaders({{"Content-Length", "99999999999999999999"}})).refusal,
            400);
  EXPECT_EQ(
      ReadBodyFraming(WithHeaders({{"Content-Length", "5"}, {"Content-Length", "6"}})).refusal,
      400);
}

httplib::Request WithParams(std::initializer_list<std::pair<std::string, std::string>> params) {
  httplib::Request req;
  req.path = "/api/v1/kpi";
  for (const auto& [name, value] : params) req.params.emplace(name, value);
  return req;
}

// The message of the refusal of `params`; "" when they are accepted.
std::string Refusal(std::initializer_list<std::pair<std::string, std::string>> params) {
  auto read = QueryParams::Read(WithParams(params), {kFromParam, kByParam});
  return read.ok() ? "" : read.status().message();
}

TEST(QueryParamsTest, TakesKnownParametersOnce) {
  auto read = QueryParams::Read(WithParams({{"from", "2026-11-01"}}), {kFromParam, kByParam});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->Get("from"), "2026-11-01");
  EXPECT_TRUE(read->Has("from"));
  EXPECT_FALSE(read->Has("by"));
  EXPECT_EQ(read->Get("by"), "");
}

TEST(QueryParamsTest, EachRefusalStartsWithTheParameter) {
  EXPECT_EQ(Refusal({{"from", "\xff"}}).rfind("from: ", 0), 0u);
  EXPECT_EQ(Refusal({{"by", "day"}, {"by", "hour"}}), "by: given 2 times; give it once");
  EXPECT_EQ(Refusal({{"by", std::string(17, 'd')}}).rfind("by: longer than 16 bytes", 0), 0u);
  EXPECT_EQ(Refusal({{"from", std::string("a\0b", 3)}}).rfind("from: ", 0), 0u);
  EXPECT_EQ(Refusal({{"form", "x"}}), "form: unknown parameter (GET /api/v1/kpi takes from, by)");
  EXPECT_EQ(Refusal({{"\xff", "x"}}).rfind("\\xff: unknown parameter", 0), 0u);
}

}  // namespace
}  // namespace storepulse::common
