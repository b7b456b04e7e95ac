#include "bench/wire_load.h"

#include <deque>
#include <random>

#include <zmq.hpp>

#include "bench/bench_report.h"
#include "bench/synthetic_events.h"
#include "common/event_codec.h"
#include "common/protocol/messages.h"

namespace storepulse::bench {

namespace wire = common::wire;
using SteadyClock = std::chrono::steady_clock;

namespace {

double NowMs() {
  return std::chrono::duration<double, std::milli>(SteadyClock::now().time_since_epoch()).count();
}

}  // namespace

struct WireLoad::Transport {
  zmq::context_t context;
  std::vector<std::string> endpoints;  // store i streams to endpoints[i % size]
  std::string central_public_key;
  size_t window = 8;
  std::vector<zmq::pollitem_t> items;
};

struct WireLoad::Edge {
  struct InFlight {
    int64_t last_seq;
    double sent_ms;
  };
  LoadStore id;
  std::string incarnation;
  std::unique_ptr<zmq::socket_t> socket;
  bool welcomed = false;
  int64_t acked = 0;
  int64_t next_seq = 1;
  std::deque<InFlight> in_flight;
  std::vector<std::string> backlog;  // encoded batches, backlog mode
  size_t next_batch = 0;
  double due_ms = 0;  // periodic mode: next send
};

WireLoad::WireLoad(std::string endpoint, std::string central_public_key,
                   std::vector<LoadStore> stores, size_t window)
    : WireLoad(std::vector<std::string>{std::move(endpoint)}, std::move(central_public_key),
               std::move(stores), window) {}

WireLoad::WireLoad(std::vector<std::string> endpoints, std::string central_public_key,
                   std::vector<LoadStore> stores, size_t window)
    : transport_(std::make_unique<Transport>()) {
  transport_->context.set(zmq::ctxopt::max_sockets, static_cast<int>(stores.size()) + 64);
  transport_->endpoints = std::move(endpoints);
  transport_->central_public_key = std::move(central_public_key);
  transport_->window = window;
  const std::string run = std::to_string(WallNowMs());
  for (LoadStore& store : stores) {
    auto edge = std::make_unique<Edge>();
    edge->incarnation = "bench-" + store.store + "-" + run;
    edge->id = std::move(store);
    edges_.push_back(std::move(edge));
  }
}

WireLoad::~WireLoad() {
  for (auto& edge : edges_) edge->socket.reset();  // before the context
}

size_t WireLoad::welcomed() const {
  size_t n = 0;
  for (const auto& edge : edges_) n += edge->welcomed ? 1 : 0;
  return n;
}

common::Status WireLoad::Connect(std::chrono::seconds deadline) {
  Transport& t = *transport_;
  try {
    for (size_t i = 0; i < edges_.size(); ++i) {
      Edge* edge = edges_[i].get();
      edge->socket = std::make_unique<zmq::socket_t>(t.context, zmq::socket_type::dealer);
      edge->socket->set(zmq::sockopt::curve_serverkey, t.central_public_key);
      edge->socket->set(zmq::sockopt::curve_publickey, edge->id.keys.public_key);
      edge->socket->set(zmq::sockopt::curve_secretkey, edge->id.keys.secret_key);
      edge->socket->set(zmq::sockopt::linger, 0);
      edge->socket->connect(t.endpoints[i % t.endpoints.size()]);
      edge->socket->send(zmq::buffer(wire::Encode(
          wire::Hello{edge->id.store, edge->incarnation, 0, "bench"})));
      t.items.push_back({edge->socket->handle(), 0, ZMQ_POLLIN, 0});
    }
  } catch (const zmq::error_t& e) {
    return common::Unavailable(std::string("load sockets: ") + e.what());
  }
  const auto end = SteadyClock::now() + deadline;
  while (welcomed() < edges_.size() && SteadyClock::now() < end) Poll(5);
  if (welcomed() < edges_.size()) {
    return common::Unavailable(std::to_string(welcomed()) + " of " +
                               std::to_string(edges_.size()) + " stores welcomed; last error: " +
                               stats_.last_error);
  }
  return common::OkStatus();
}

void WireLoad::Poll(int timeout_ms) {
  Transport& t = *transport_;
  zmq::poll(t.items.data(), t.items.size(), std::chrono::milliseconds(timeout_ms));
  for (size_t i = 0; i < t.items.size(); ++i) {
    if (t.items[i].revents & ZMQ_POLLIN) Receive(*edges_[i]);
  }
}

void WireLoad::Receive(Edge& edge) {
  zmq::message_t frame;
  while (edge.socket->recv(frame, zmq::recv_flags::dontwait)) {
    auto message = wire::Decode(frame.to_string_view());
    if (!message.ok()) continue;
    if (auto* welcome = std::get_if<wire::Welcome>(&*message)) {
      edge.welcomed = true;
      edge.acked = welcome->acked_seq;
      edge.next_seq = edge.acked + 1;
    } else if (auto* ack = std::get_if<wire::Ack>(&*message)) {
      if (ack->acked_seq <= edge.acked) continue;
      stats_.events_acked += ack->acked_seq - edge.acked;
      edge.acked = ack->acked_seq;
      double now = NowMs();
      while (!edge.in_flight.empty() && edge.in_flight.front().last_seq <= edge.acked) {
        stats_.ack_ms.push_back(now - edge.in_flight.front().sent_ms);
        edge.in_flight.pop_front();
      }
    } else if (auto* error = std::get_if<wire::Error>(&*message)) {
      stats_.errors++;
      stats_.last_error = edge.id.store + ": " + error->code + " " + error->message;
    }
  }
}

void WireLoad::SendBatch(Edge& edge, std::string bytes, int64_t last_seq) {
  edge.socket->send(zmq::buffer(bytes), zmq::send_flags::dontwait);
  edge.in_flight.push_back({last_seq, NowMs()});
  edge.next_seq = last_seq + 1;
  stats_.batches_sent++;
}

namespace {

// The encoded Batch message of events first_seq … first_seq + count - 1 of `store`.
std::string EncodeBatch(const std::string& store, const std::string& incarnation,
                        int64_t first_seq, size_t count, int64_t ts_ms) {
  wire::Batch batch{incarnation, first_seq, {}};
  batch.events.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    int64_t n = first_seq - 1 + static_cast<int64_t>(i);
    batch.events.push_back(common::EncodeStored(MakeEvent(store, 1, n, ts_ms)));
  }
  return wire::Encode(batch);
}

}  // namespace

common::Status WireLoad::StreamBacklog(size_t events_per_store, size_t batch,
                                       std::chrono::seconds deadline) {
  const int64_t ts = WallNowMs() - 3'600'000;
  for (auto& edge : edges_) {
    for (size_t first = 0; first < events_per_store; first += batch) {
      size_t count = std::min(batch, events_per_store - first);
      edge->backlog.push_back(EncodeBatch(edge->id.store, edge->incarnation,
                                          edge->acked + 1 + static_cast<int64_t>(first), count, ts));
    }
  }
  const int64_t target_events = static_cast<int64_t>(events_per_store);
  auto all_acked = [&] {
    for (const auto& edge : edges_) {
      if (edge->acked < target_events) return false;
    }
    return true;
  };
  Stopwatch watch;
  const auto end = SteadyClock::now() + deadline;
  while (!all_acked() && SteadyClock::now() < end) {
    for (auto& edge : edges_) {
      while (edge->in_flight.size() < transport_->window && edge->next_batch < edge->backlog.size()) {
        int64_t last = edge->next_seq + static_cast<int64_t>(std::min(
                           batch, events_per_store - edge->next_batch * batch)) - 1;
        SendBatch(*edge, std::move(edge->backlog[edge->next_batch++]), last);
      }
    }
    Poll(1);
  }
  stats_.seconds = watch.Seconds();
  if (!all_acked()) return common::Unavailable("backlog not acknowledged: " + stats_.last_error);
  return common::OkStatus();
}

common::Status WireLoad::StreamPeriodic(size_t batch, std::chrono::milliseconds period,
                                        std::chrono::seconds duration) {
  std::mt19937_64 random(1);
  const double start = NowMs(), period_ms = static_cast<double>(period.count());
  for (auto& edge : edges_) edge->due_ms = start + static_cast<double>(random() % period.count());
  const double stop = start + static_cast<double>(duration.count()) * 1000;
  const int64_t ts = WallNowMs() - 60'000;
  Stopwatch watch;
  while (NowMs() < stop) {
    const double now = NowMs();
    for (auto& edge : edges_) {
      if (now < edge->due_ms) continue;
      edge->due_ms += period_ms;
      if (edge->in_flight.size() >= transport_->window) {
        stats_.sends_deferred++;
        continue;
      }
      int64_t last = edge->next_seq + static_cast<int64_t>(batch) - 1;
      SendBatch(*edge, EncodeBatch(edge->id.store, edge->incarnation, edge->next_seq, batch, ts),
                last);
    }
    Poll(1);
  }
  auto drained = [&] {
    for (const auto& edge : edges_) {
      if (!edge->in_flight.empty()) return false;
    }
    return true;
  };
  const double drain_end = NowMs() + 30'000;
  while (!drained() && NowMs() < drain_end) Poll(5);
  stats_.seconds = watch.Seconds();
  if (!drained()) return common::Unavailable("acks still due 30 s after the load stopped");
  return common::OkStatus();
}

}  // namespace storepulse::bench
