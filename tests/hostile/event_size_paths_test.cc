// One event, one size (issue 8, failure 9): the same event at about 60 KB and at about 70 KB sent
// through every ingest path — HTTP as a (pretty-printed) JSON array and as JSON Lines, ZeroMQ as
// msgpack, and `storepulse ingest` from a JSON Lines file and from a CSV file — gets the same
// verdict everywhere: accepted under the 64 KiB limit, and above it refused with the same message
// naming the same size, the length of the event's compact JSON form (docs/INGEST.md, "Input
// limits").
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/event_limits.h"
#include "common/time_util.h"
#include "tests/hostile/ingest_probe.h"
#include "tests/support/nodes.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

using common::kMaxEventBytes;
using OrderedJson = nlohmann::ordered_json;

constexpr size_t kSkuBytes = 200;

// A sale with as many 200-byte-SKU lines as make its compact JSON at least `bytes` long. Ids of
// the same length give events of the same size.
OrderedJson SaleOfSize(const std::string& id, size_t bytes) {
  OrderedJson sale = {{"id", id},
                      {"type", "sale"},
                      {"ts", common::SystemClock().NowMs() - 3'600'000},
                      {"txn", "T-" + id},
                      {"lines", OrderedJson::array()}};
  for (int i = 0; sale.dump().size() < bytes; ++i) {
    std::string sku = "SKU-" + std::to_string(100000 + i) + "-";
    sku.resize(kSkuBytes, 'x');
    sale["lines"].push_back({{"sku", sku}, {"qty", 1}, {"unit_price", 1234}});
  }
  return sale;
}

// The same sale as CSV for `storepulse ingest`: one row per line, the sale's fields on the first.
std::string AsCsv(const OrderedJson& sale) {
  std::string csv = "id,type,ts,txn,sku,qty,unit_price\n";
  bool first = true;
  for (const auto& line : sale["lines"]) {
    csv += sale["id"].get<std::string>() + ",";
    csv += first ? "sale," + std::to_string(sale["ts"].get<int64_t>()) + "," +
                       sale["txn"].get<std::string>()
                 : ",,";
    csv += "," + line["sku"].get<std::string>() + ",1,1234\n";
    first = false;
  }
  return csv;
}

// What one path made of the one event it carried.
struct Verdict {
  std::string path;
  int64_t accepted = -1;
  std::string error;  // the rejection's reason; empty when accepted
};

Verdict FromReply(const std::string& path, const nlohmann::json& reply) {
  Verdict verdict{path, reply.value("accepted", int64_t{-1}), ""};
  if (reply.contains("rejected") && !reply["rejected"].empty()) {
    verdict.error = reply["rejected"][0].value("error", "");
  }
  if (reply.contains("error")) verdict.error = "whole batch: " + reply["error"].dump();
  return verdict;
}

class EventSizePathsTest : public LoneEdgeTest<> {
 protected:
  Verdict OverHttp(const std::string& path, const std::string& body) {
    auto reply = PostBody(edge_->http_port(), "/api/v1/events", body);
    if (!reply) return {path, -1, "no reply"};
    return FromReply(path + " (HTTP " + std::to_string(reply->status) + ")", reply->body);
  }
  Verdict OverZeroMq(const OrderedJson& sale) {
    const std::vector<uint8_t> bytes = OrderedJson::to_msgpack(OrderedJson::array({sale}));
    auto reply = ZmqRequest(edge_->ingest_endpoint(), std::string(bytes.begin(), bytes.end()),
                            zmq::socket_type::req);
    if (!reply) return {"msgpack over ZeroMQ", -1, "no reply"};
    return FromReply("msgpack over ZeroMQ", *reply);
  }
  Verdict ThroughCli(const std::string& path, const std::string& file_name,
                     const std::string& content) {
    const std::string file = dir_.Write(file_name, content);
    auto run = RunProcess({STOREPULSE_CLI_BIN, "ingest", file, "--edge",
                           "http://127.0.0.1:" + std::to_string(edge_->http_port()), "--json"},
                          std::chrono::seconds(30));
    if (!run.ok()) return {path, -1, run.status().message()};
    auto reply = nlohmann::json::parse(run->out, nullptr, false);
    if (reply.is_discarded()) return {path, -1, "not JSON: " + run->out + run->err};
    return FromReply(path, reply);
  }

  // The verdicts of every path on the event of about `bytes`; ids differ per path (so none is a
  // duplicate of another) but have the same length (so every event has the same size).
  std::vector<Verdict> EveryPath(size_t bytes, size_t* size) {
    const std::string tag = std::to_string(bytes / 1000);
    const OrderedJson array_sale = SaleOfSize("a" + tag, bytes);
    *size = array_sale.dump().size();
    const std::string pretty = "[\n" + array_sale.dump(2) + "\n]";
    EXPECT_GT(pretty.size(), kMaxEventBytes) << "the pretty-printed text is over 64 KiB either way";
    return {
        OverHttp("JSON array", pretty),
        OverHttp("JSON Lines", SaleOfSize("l" + tag, bytes).dump() + "\n"),
        OverZeroMq(SaleOfSize("m" + tag, bytes)),
        ThroughCli("storepulse ingest JSON Lines", "events.jsonl",
                   SaleOfSize("j" + tag, bytes).dump() + "\n"),
        ThroughCli("storepulse ingest CSV", "events.csv", AsCsv(SaleOfSize("c" + tag, bytes))),
    };
  }

};

TEST_F(EventSizePathsTest, SixtyKilobyteEventIsAcceptedOnEveryPath) {
  size_t size = 0;
  for (const Verdict& verdict : EveryPath(60'000, &size)) {
    EXPECT_EQ(verdict.accepted, 1) << verdict.path << ": " << verdict.error;
    EXPECT_EQ(verdict.error, "") << verdict.path;
  }
  EXPECT_LT(size, kMaxEventBytes);
}

TEST_F(EventSizePathsTest, SeventyKilobyteEventIsRefusedAlikeOnEveryPath) {
  size_t size = 0;
  const std::vector<Verdict> verdicts = EveryPath(70'000, &size);
  ASSERT_GT(size, kMaxEventBytes);
  const std::string expected =
      "event is " + std::to_string(size) + " bytes, over the 65536-byte limit";
  for (const Verdict& verdict : verdicts) {
    EXPECT_EQ(verdict.accepted, 0) << verdict.path;
    EXPECT_EQ(verdict.error, expected) << verdict.path;
  }
}

}  // namespace
}  // namespace storepulse::test_support
