// Writes the binary seeds of the fuzz targets — msgpack event batches and replication messages —
// with the project's own encoders, so that each seed is a valid input of today's format:
//   make_fuzz_seeds tests/fuzz/corpus
// Run by hand when a format changes (docs/TESTING.md); the text seeds are written by hand.
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "common/event_codec.h"
#include "common/protocol/messages.h"

namespace common = storepulse::common;
namespace wire = storepulse::common::wire;

namespace {

void Write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// The events of the JSON seeds (corpus/json_event/), one of each type, and a shared sale.
std::vector<common::Event> SampleEvents() {
  const std::string jsonl =
      R"({"id":"sale-1","type":"sale","ts":"2026-11-22T09:15:00Z","store":"s1","txn":"T100","channel":"click_collect","till":"till-2","employee":"emp-7","customer":"cust-9","lines":[{"sku":"sku-a","qty":2,"unit_price":1250,"discount":100},{"sku":"sku-b","qty":1,"unit_price":999}]})"
      "\n"
      R"({"id":"sale-2","type":"sale","ts":"2026-11-22T09:15:00Z","txn":"T101","employee":"emp-7","lines":[{"sku":"sku-a","qty":1,"unit_price":1000}],"credits":[{"employee":"emp-3","share":0.333333},{"employee":"emp-7","share":0.666667}]})"
      "\n"
      R"({"id":"ret-1","type":"return","ts":1795338900000,"txn":"R200","original_txn":"W55","original_channel":"web","reason":"too small","restock":false,"lines":[{"sku":"sku-a","qty":1,"unit_price":1250}]})"
      "\n"
      R"({"id":"ff-1","type":"footfall","ts":"2026-11-22T10:15:00+01:00","sensor":"door-1","period_s":900,"in":42,"out":37})"
      "\n"
      R"({"id":"st-1","type":"stock","ts":"2026-11-22T09:15:00.000Z","sku":"sku-a","kind":"adjustment","qty":-3})"
      "\n"
      R"({"id":"ord-1","type":"order","ts":"2026-11-22T09:15:00Z","order":"O-77","kind":"ship_from_store","status":"cancelled","source":"warehouse","reason":"stock_error","promised":"2026-11-23T18:00:00Z"})"
      "\n"
      R"({"id":"fb-1","type":"feedback","ts":"2026-11-22T09:15:00Z","scale":"csat","score":4,"channel":"mobile","customer":"cust-9"})"
      "\n"
      R"({"id":"lab-1","type":"labour","ts":"2026-11-22T09:15:00Z","period_s":900,"staff":2})"
      "\n"
      R"({"id":"lab-2","type":"labour","ts":"2026-11-22T09:15:00Z","employee":"emp-7","period_s":28800,"hours":7.5})"
      "\n"

      R"({"id":"link-1","type":"customer_link","ts":"2026-11-22T09:15:00Z","customer":"card-1234","alias":"ann@example.com"})";
  std::vector<common::Event> events;
  // Kept in a variable: a range-for over .value() of a temporary dangles.
  auto batch = common::DecodeJsonBatch(jsonl);
  for (auto& element : *batch) events.push_back(*element.event);
  return events;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_fuzz_seeds CORPUS_DIR\n";
    return 2;
  }
  const std::string dir = argv[1];
  const std::vector<common::Event> events = SampleEvents();
  Write(dir + "/msgpack_event/batch_all_types", common::EncodeMsgpackBatch(events));
  for (const common::Event& event : events) {
    Write(dir + "/msgpack_event/" + event.id, common::EncodeMsgpackBatch({event}));
  }
  Write(dir + "/msgpack_event/empty_batch", common::EncodeMsgpackBatch({}));

  std::vector<std::string> stored;
  for (const common::Event& event : events) stored.push_back(common::EncodeStored(event));
  const std::string inc = "3f9c1a7e5b2d4c60";
  Write(dir + "/wire_message/hello", wire::Encode(wire::Hello{"s1", inc, 1042, "0.1.0"}));
  Write(dir + "/wire_message/welcome", wire::Encode(wire::Welcome{inc, 1000, 1795338900000}));
  Write(dir + "/wire_message/batch", wire::Encode(wire::Batch{inc, 1001, stored, 0}));
  Write(dir + "/wire_message/batch_pruned", wire::Encode(wire::Batch{inc, 1001, stored, 900}));
  Write(dir + "/wire_message/ack", wire::Encode(wire::Ack{inc, 1006}));
  wire::Heartbeat heartbeat{1795338900000, 1006, 1000,    6,  425000, 1500,
                            1 << 30,       true, "0.1.0", {}, {}};
  Write(dir + "/wire_message/heartbeat", wire::Encode(heartbeat));
  heartbeat.silent_sources = {{"till", "till-2", 1795338000000, 1795338600000},
                              {"counter", "door-1", 1795337000000, 1795338000000}};
  Write(dir + "/wire_message/heartbeat_silent", wire::Encode(heartbeat));
  Write(dir + "/wire_message/error_gap",
        wire::Encode(wire::Error{"gap", "expected seq 1001", inc, 1000}));
  heartbeat.documents = std::map<std::string, std::string>{{"catalogue", "0123456789abcdef"}};
  Write(dir + "/wire_message/heartbeat_documents", wire::Encode(heartbeat));
  Write(dir + "/wire_message/document_delta",
        wire::Encode(wire::Document{"catalogue",
                                    "0123456789abcdef",
                                    "fedcba9876543210",
                                    0,
                                    true,
                                    {{"SKU-1", R"({"name":"Apple","cost":120})"}},
                                    {"SKU-2"}}));
  Write(dir + "/wire_message/document_ack",
        wire::Encode(wire::DocumentAck{"catalogue", "0123456789abcdef", ""}));
  Write(dir + "/wire_message/stock_request", wire::Encode(wire::StockRequest{7, "SKU-1"}));
  Write(dir + "/wire_message/stock_answer",
        wire::Encode(wire::StockAnswer{7, 200, R"({"sku":"SKU-1","stores":[]})"}));
  return 0;
}
