#include "bench/ingest_driver.h"

#include <httplib.h>

#include <functional>
#include <latch>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "bench/bench_report.h"

namespace storepulse::bench {

namespace {

// What every producer thread adds to, under the mutex; the first error wins.
struct Shared {
  std::mutex mu;
  IngestTally tally;
  std::string error;

  // Adds one {"accepted","duplicates","rejected"} reply.
  void Count(const nlohmann::json& reply) {
    std::lock_guard lock(mu);
    if (reply.is_discarded() || !reply.is_object() || reply.contains("error")) {
      if (error.empty()) error = "error reply: " + reply.dump().substr(0, 300);
      return;
    }
    tally.batches++;
    tally.accepted += reply.value("accepted", int64_t{0});
    tally.duplicates += reply.value("duplicates", int64_t{0});
    tally.rejected += static_cast<int64_t>(reply.value("rejected", nlohmann::json::array()).size());
  }
  void Fail(const std::string& why) {
    std::lock_guard lock(mu);
    if (error.empty()) error = why;
  }
};

// Runs `body(p, ready, go)` on one thread per producer and times from the moment every thread
// is ready until the last one ends.
common::StatusOr<IngestTally> RunProducers(
    size_t producers, Shared& shared,
    const std::function<void(size_t p, std::latch& ready, std::latch& go)>& body) {
  std::latch ready(static_cast<std::ptrdiff_t>(producers)), go(1);
  std::vector<std::thread> threads;
  for (size_t p = 0; p < producers; ++p) {
    threads.emplace_back([&, p] { body(p, ready, go); });
  }
  ready.wait();
  Stopwatch watch;
  go.count_down();
  for (auto& t : threads) t.join();
  shared.tally.seconds = watch.Seconds();
  if (!shared.error.empty()) return common::Internal(shared.error);
  return shared.tally;
}

void ZmqProducer(zmq::context_t& context, const std::string& endpoint,
                 const std::vector<std::string>& batches, size_t window, Shared& shared) {
  zmq::socket_t socket(context, zmq::socket_type::dealer);
  socket.set(zmq::sockopt::linger, 0);
  socket.connect(endpoint);
  size_t sent = 0, answered = 0;
  while (answered < batches.size()) {
    while (sent < batches.size() && sent - answered < window) {
      socket.send(zmq::buffer(batches[sent++]), zmq::send_flags::none);
    }
    zmq::pollitem_t items[] = {{socket.handle(), 0, ZMQ_POLLIN, 0}};
    if (zmq::poll(items, 1, std::chrono::seconds(60)) == 0) {
      return shared.Fail("no reply from the edge within 60 s");
    }
    zmq::message_t reply;
    if (!socket.recv(reply)) continue;
    const auto* data = static_cast<const uint8_t*>(reply.data());
    shared.Count(nlohmann::json::from_msgpack(data, data + reply.size(), true, false));
    ++answered;
  }
}

void HttpProducer(int port, const std::vector<std::string>& batches, Shared& shared) {
  httplib::Client client("127.0.0.1", port);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);  // as curl does
  client.set_read_timeout(120, 0);
  client.set_write_timeout(120, 0);
  for (const std::string& body : batches) {
    auto res = client.Post("/api/v1/events", body, "application/x-ndjson");
    if (!res) return shared.Fail("HTTP POST failed: " + httplib::to_string(res.error()));
    if (res->status != 200) {
      return shared.Fail("HTTP " + std::to_string(res->status) + ": " + res->body.substr(0, 300));
    }
    shared.Count(nlohmann::json::parse(res->body, nullptr, false));
  }
}

}  // namespace

common::StatusOr<IngestTally> DriveZmqIngest(const std::string& endpoint,
                                             const ProducerBatches& batches, size_t window) {
  zmq::context_t context(1);
  Shared shared;
  return RunProducers(batches.size(), shared, [&](size_t p, std::latch& ready, std::latch& go) {
    ready.count_down();
    go.wait();
    try {
      ZmqProducer(context, endpoint, batches[p], window, shared);
    } catch (const std::exception& e) {
      shared.Fail(std::string("producer: ") + e.what());
    }
  });
}

common::StatusOr<IngestTally> DriveHttpIngest(int port, const ProducerBatches& batches) {
  Shared shared;
  return RunProducers(batches.size(), shared, [&](size_t p, std::latch& ready, std::latch& go) {
    ready.count_down();
    go.wait();
    HttpProducer(port, batches[p], shared);
  });
}

}  // namespace storepulse::bench
