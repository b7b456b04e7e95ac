// The fixture of the replication session's tests (replication_session_test.cc: the stream;
// replication_session_link_test.cc: refusals, the link and several centrals): a database in
// memory, a link that records what the session does, and times the test sets. Expectations are
// computed by hand from the options of Options(): batches of 10 events, 3 in flight, a tail check
// of 5 events, acks awaited 10 s.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "edge/replication_session.h"

namespace storepulse::edge::session_test {

namespace wire = common::wire;

inline constexpr int64_t kT = 1'700'000'000'000;  // the test's "now", 2023-11-14

// A database holding seqs first_kept…last_seq (retention pruned the ones before), and a link that
// records what the session does with it.
class FakeEnv final : public SessionEnv {
 public:
  explicit FakeEnv(const int64_t* test_now) : now(test_now) {}

  int64_t last_seq = 0;
  int64_t first_kept = 1;
  std::vector<wire::Message> sent;
  std::vector<std::string> opened;       // endpoints, in order
  std::vector<int64_t> handshake_limits;  // each opened link's CURVE handshake limit
  int closes = 0;
  int reconnects = 0;
  std::vector<std::string> new_streams;  // the reasons given
  bool link_up = true;                   // Send queues only while the connection is up
  const int64_t* now;                    // the test's monotonic "now"…
  int64_t wall_offset_ms = 0;            // …and how far the wall clock is from it

  int64_t WallClockMs() override { return *now + wall_offset_ms; }

  EdgeVitals Vitals() override { return {last_seq, 1 << 30, true}; }
  common::StatusOr<int64_t> ReadBodies(int64_t first_seq, size_t max_events, size_t,
                                       std::vector<std::string>* bodies) override {
    const int64_t from = std::max(first_seq, first_kept);
    for (int64_t seq = from; seq <= last_seq && bodies->size() < max_events; ++seq) {
      bodies->push_back("event-" + std::to_string(seq));
    }
    return from;
  }
  common::StatusOr<Backlog> ReadBacklog(int64_t acked_seq) override {
    return Backlog{std::max<int64_t>(0, last_seq - std::max(acked_seq, first_kept - 1)), 0, 0};
  }
  common::StatusOr<std::string> NewIncarnation(const std::string& reason) override {
    new_streams.push_back(reason);
    return "i" + std::to_string(new_streams.size() + 1);
  }
  std::vector<wire::SilentSource> SilentSources() override { return {}; }
  std::optional<std::map<std::string, std::string>> HeldDocuments() override { return documents; }
  common::Status OpenLink(const CentralEndpoint& central, int64_t handshake_limit_ms) override {
    opened.push_back(central.endpoint);
    handshake_limits.push_back(handshake_limit_ms);
    return common::OkStatus();
  }
  void CloseLink() override { ++closes; }
  void Reconnect() override { ++reconnects; }
  // What HeldDocuments answers: none (an edge that takes no document) unless a test sets it.
  std::optional<std::map<std::string, std::string>> documents;
  bool Send(const wire::Message& message) override {
    if (!link_up) return false;
    sent.push_back(message);
    return true;
  }

  // The messages of type M sent since the last Take, the others dropped.
  template <typename M>
  std::vector<M> Take() {
    std::vector<M> out;
    for (const wire::Message& m : sent) {
      if (auto* one = std::get_if<M>(&m)) out.push_back(*one);
    }
    sent.clear();
    return out;
  }
};

// A batch as [first seq, last seq, pruned_to].
struct Span {
  int64_t first, last, pruned_to;
  bool operator==(const Span&) const = default;
};
inline std::ostream& operator<<(std::ostream& os, const Span& s) {
  return os << "[" << s.first << "-" << s.last << " pruned_to " << s.pruned_to << "]";
}

class ReplicationSessionTest : public ::testing::Test {
 protected:
  static ReplicationSessionOptions Options(size_t centrals = 1) {
    ReplicationSessionOptions o;
    for (size_t i = 0; i < centrals; ++i) {
      o.centrals.push_back({"tcp://central-" + std::string(1, char('a' + i)) + ":7600", "key"});
    }
    o.store = "S1";
    o.incarnation = "i1";
    o.batch_events = 10;
    o.window = 3;
    o.verify_events = 5;
    return o;
  }

  void Make(size_t centrals = 1) {
    session_ = std::make_unique<ReplicationSession>(Options(centrals), env_);
    ASSERT_TRUE(session_->Start(now_).ok());
  }
  // The CURVE handshake succeeds: the session says hello at its next step.
  void Handshake() {
    session_->OnLinkEvent({LinkEvent::Kind::kHandshakeSucceeded}, now_);
    Step();
  }
  // Central welcomes the current stream at `acked`; the session sends what follows.
  void Welcome(int64_t acked) {
    Receive(wire::Welcome{session_->incarnation(), acked, now_, {}});
    Step();
  }
  void Ack(int64_t acked) {
    Receive(wire::Ack{session_->incarnation(), acked});
    Step();
  }
  void Refuse(const std::string& code, int64_t acked = 0) {
    Receive(wire::Error{code, "why", session_->incarnation(), acked});
    Step();
  }
  void Receive(const wire::Message& m) { session_->OnMessage(m, now_); }
  void Step() { session_->Step(now_); }
  void At(int64_t offset_ms) {
    now_ = kT + offset_ms;
    Step();
  }
  // Connected and welcomed at `acked`, with the database at `last_seq`; sent messages dropped.
  void Streaming(int64_t last_seq, int64_t acked, size_t centrals = 1) {
    env_.last_seq = last_seq;
    Make(centrals);
    Handshake();
    env_.sent.clear();
    Welcome(acked);
  }
  std::vector<Span> Batches() {
    std::vector<Span> out;
    for (const wire::Batch& b : env_.Take<wire::Batch>()) {
      EXPECT_EQ(b.incarnation, session_->incarnation());
      out.push_back({b.first_seq, b.first_seq + std::ssize(b.events) - 1, b.pruned_to});
    }
    return out;
  }

  int64_t now_ = kT;
  FakeEnv env_{&now_};
  std::unique_ptr<ReplicationSession> session_;
};

using Spans = std::vector<Span>;

}  // namespace storepulse::edge::session_test
