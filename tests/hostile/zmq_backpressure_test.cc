// A sibling of issue 8's failure 8: one ZeroMQ producer pipelining full-size batches (16 MiB
// frames, as the raised frame limit allows) must not make the edge hold dozens of them — neither
// decoded and waiting for the writer nor parked in libzmq's queue — while every batch is still
// answered. Before the back-pressure counted bytes, 20 such batches took the edge to 323 MiB.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/event_codec.h"
#include "common/time_util.h"
#include "tests/hostile/ingest_probe.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

constexpr int64_t kMiB = 1024 * 1024;
constexpr int kBatches = 20;
constexpr int kEventsPerBatch = 10'000;

// 10,000 sales of six 200-byte-SKU lines: a 14 MB msgpack batch, within every limit.
std::string FullBatch(int batch, int64_t ts_ms) {
  std::vector<common::Event> events;
  for (int i = 0; i < kEventsPerBatch; ++i) {
    common::Event sale;
    sale.id = "b" + std::to_string(batch) + "-" + std::to_string(i);
    sale.type = common::EventType::kSale;
    sale.ts_ms = ts_ms;
    sale.txn = "T" + sale.id;
    for (int l = 0; l < 6; ++l) {
      sale.lines.push_back(
          common::Line{"sku-" + std::to_string(l) + std::string(200, 'k'), 1, 100, 0});
    }
    events.push_back(std::move(sale));
  }
  return common::EncodeMsgpackBatch(events);
}

TEST(ZmqBackpressureTest, PipelinedFullBatchesFromOneProducerKeepTheEdgeBounded) {
  TempDir dir;
  EdgeNode edge(EdgeNode::Options{"S1", "Europe/Paris", dir.File("edge"), {}});
  ASSERT_TRUE(edge.Start());
  const int64_t ts_ms = common::SystemClock().NowMs() - 3'600'000;
  std::vector<std::string> batches;
  for (int b = 0; b < kBatches; ++b) batches.push_back(FullBatch(b, ts_ms));

  zmq::context_t context;
  zmq::socket_t socket(context, zmq::socket_type::dealer);
  socket.set(zmq::sockopt::linger, 0);
  socket.connect(edge.ingest_endpoint());
  for (const std::string& batch : batches) {  // all at once: ZeroMQ queues what the edge refuses
    socket.send(zmq::message_t(), zmq::send_flags::sndmore);
    socket.send(zmq::buffer(batch));
  }
  int64_t accepted = 0;
  for (int replies = 0; replies < kBatches; ++replies) {
    zmq::pollitem_t items[] = {{socket.handle(), 0, ZMQ_POLLIN, 0}};
    ASSERT_EQ(zmq::poll(items, 1, std::chrono::seconds(30)), 1) << "no reply " << replies;
    zmq::message_t frame;
    (void)socket.recv(frame);  // the empty delimiter
    (void)socket.recv(frame);
    const auto* bytes = static_cast<const uint8_t*>(frame.data());
    accepted +=
        nlohmann::json::from_msgpack(bytes, bytes + frame.size())["accepted"].get<int64_t>();
  }
  EXPECT_EQ(accepted, int64_t{kBatches} * kEventsPerBatch);
  const int64_t peak = PeakRssBytes(edge.pid());
  std::cout << "edge peak RSS: " << peak / kMiB << " MiB\n";
  EXPECT_LT(peak, RssBound(150 * kMiB));
  EXPECT_EQ(edge.Stop(), 0) << edge.Log();
}

}  // namespace
}  // namespace storepulse::test_support
