// The edge's replication session (edge/replication_session.h) against a database in memory, a
// link that records what it is asked to send, and a clock the test sets: one test per edge half of
// the rows of docs/PROTOCOL.md's failure table ("Failures, and what happens"), plus the window,
// the heartbeat and the hello back-off. Every expectation is computed by hand from the options of
// Options(): batches of 10 events, 3 in flight, a tail check of 5 events, acks awaited 10 s.
#include "edge/replication_session.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "edge/link_diagnosis.h"

namespace storepulse::edge {
namespace {

namespace wire = common::wire;

constexpr int64_t kT = 1'700'000'000'000;  // the test's "now", 2023-11-14

// A database holding seqs first_kept…last_seq (retention pruned the ones before), and a link that
// records what the session does with it.
class FakeEnv final : public SessionEnv {
 public:
  int64_t last_seq = 0;
  int64_t first_kept = 1;
  std::vector<wire::Message> sent;
  std::vector<std::string> opened;       // endpoints, in order
  int closes = 0;
  int reconnects = 0;
  std::vector<std::string> new_streams;  // the reasons given
  bool link_up = true;                   // Send queues only while the connection is up

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
  common::Status OpenLink(const CentralEndpoint& central) override {
    opened.push_back(central.endpoint);
    return common::OkStatus();
  }
  void CloseLink() override { ++closes; }
  void Reconnect() override { ++reconnects; }
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
std::ostream& operator<<(std::ostream& os, const Span& s) {
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
    Receive(wire::Welcome{session_->incarnation(), acked, now_});
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

  FakeEnv env_;
  int64_t now_ = kT;
  std::unique_ptr<ReplicationSession> session_;
};

using Spans = std::vector<Span>;

// --- The stream: window and cumulative acks ---

TEST_F(ReplicationSessionTest, WelcomeAtZeroFillsTheWindowWithContiguousBatches) {
  env_.last_seq = 50;
  Make();
  Handshake();
  std::vector<wire::Hello> hellos = env_.Take<wire::Hello>();
  ASSERT_EQ(hellos.size(), 1u);
  EXPECT_EQ(hellos[0].store, "S1");
  EXPECT_EQ(hellos[0].incarnation, "i1");
  EXPECT_EQ(hellos[0].last_seq, 50);
  Welcome(0);
  EXPECT_EQ(Batches(), (Spans{{1, 10, 0}, {11, 20, 0}, {21, 30, 0}}));  // 3 in flight
  Ack(10);
  EXPECT_EQ(Batches(), (Spans{{31, 40, 0}}));
  Ack(30);  // cumulative: retires two batches at once
  EXPECT_EQ(Batches(), (Spans{{41, 50, 0}}));
  EXPECT_EQ(session_->status().acked_seq, 30);
  EXPECT_EQ(session_->confirmed_seq(), 30);
}

TEST_F(ReplicationSessionTest, ReplayAckedAtCentralsPositionMovesOn) {
  Streaming(20, 20);  // the tail check resends 16-20, all at or below central's position
  EXPECT_EQ(Batches(), (Spans{{16, 20, 0}}));
  EXPECT_EQ(session_->confirmed_seq(), 0);
  Ack(20);  // central skipped them all and acks where it stands
  EXPECT_EQ(session_->confirmed_seq(), 20);
  env_.last_seq = 25;
  Step();
  EXPECT_EQ(Batches(), (Spans{{21, 25, 0}}));
}

TEST_F(ReplicationSessionTest, OverlapAckedPastTheKnownPrefixMovesOn) {
  Streaming(20, 18);  // the tail 14-18 and the new 19-20 in one batch
  EXPECT_EQ(Batches(), (Spans{{14, 20, 0}}));
  env_.last_seq = 50;
  Ack(20);
  EXPECT_EQ(Batches(), (Spans{{21, 30, 0}, {31, 40, 0}, {41, 50, 0}}));  // tail checked: window 3
  EXPECT_EQ(session_->confirmed_seq(), 20);
}

// --- Rewinds ---

TEST_F(ReplicationSessionTest, GapAnswerResendsFromAckedSeqPlusOne) {
  Streaming(50, 0);
  EXPECT_EQ(Batches(), (Spans{{1, 10, 0}, {11, 20, 0}, {21, 30, 0}}));
  Refuse("gap", 10);
  EXPECT_EQ(Batches(), (Spans{{11, 20, 0}, {21, 30, 0}, {31, 40, 0}}));
  EXPECT_EQ(session_->status().central_behind, 0);  // 10 is not below what central acked (0)
}

TEST_F(ReplicationSessionTest, CentralWriteFailsRetryResendsFromItsAckedSeq) {
  Streaming(50, 0);
  Batches();
  Ack(10);
  EXPECT_EQ(Batches(), (Spans{{31, 40, 0}}));
  Refuse("retry");  // the whole group rolled back: 11-40 are not at central
  EXPECT_EQ(Batches(), (Spans{{11, 20, 0}, {21, 30, 0}, {31, 40, 0}}));
  EXPECT_EQ(env_.opened.size(), 1u);  // one central: no failover
}

TEST_F(ReplicationSessionTest, NoAckFor10sResendsFromAckedSeqPlusOne) {
  Streaming(50, 0);
  Batches();
  At(1000);
  Ack(10);  // progress restarts the timer of the oldest batch in flight
  Batches();
  At(11'000);  // 10 s exactly since the ack: not yet
  EXPECT_EQ(Batches(), Spans{});
  At(11'001);
  EXPECT_EQ(Batches(), (Spans{{11, 20, 0}, {21, 30, 0}, {31, 40, 0}}));
}

TEST_F(ReplicationSessionTest, FullQueueKeepsTheBatchForTheNextStep) {
  env_.last_seq = 20;
  Make();
  Handshake();
  env_.link_up = false;
  Welcome(0);
  EXPECT_EQ(Batches(), Spans{});  // nothing queued, so nothing in flight
  env_.link_up = true;
  Step();
  EXPECT_EQ(Batches(), (Spans{{1, 10, 0}, {11, 20, 0}}));
}

// --- Reconnections and restarts ---

TEST_F(ReplicationSessionTest, ConnectionLostSaysHelloOnReconnectAndResumesFromTheWelcome) {
  Streaming(50, 0);
  Batches();
  Ack(10);
  session_->OnLinkEvent({LinkEvent::Kind::kDisconnected}, now_);
  EXPECT_FALSE(session_->status().connected);
  EXPECT_EQ(session_->confirmed_seq(), 0);  // the next central may be behind
  At(1000);
  EXPECT_TRUE(env_.Take<wire::Hello>().empty());  // no hello without a connection
  Handshake();
  std::vector<wire::Hello> hellos = env_.Take<wire::Hello>();
  ASSERT_EQ(hellos.size(), 1u);
  EXPECT_EQ(hellos[0].last_seq, 50);
  Welcome(20);  // central committed more than it had acknowledged before the cut
  EXPECT_EQ(Batches(), (Spans{{16, 25, 0}}));  // the tail 16-20 first, one batch at a time
  Ack(25);
  EXPECT_EQ(Batches(), (Spans{{26, 35, 0}, {36, 45, 0}, {46, 50, 0}}));
  EXPECT_EQ(session_->status().central_behind, 0);
}

TEST_F(ReplicationSessionTest, RewindDuringTheTailCheckResendsTheTailAgain) {
  Streaming(50, 20);
  EXPECT_EQ(Batches(), (Spans{{16, 25, 0}}));
  At(10'001);  // no ack for the tail
  EXPECT_EQ(Batches(), (Spans{{16, 25, 0}}));
  Refuse("retry");
  EXPECT_EQ(Batches(), (Spans{{16, 25, 0}}));
}

TEST_F(ReplicationSessionTest, EdgeKilledSaysHelloOnRestartAndResumesFromTheWelcome) {
  env_.last_seq = 50;
  Make();  // a new session: the daemon restarted; it remembers nothing of central
  Handshake();
  EXPECT_EQ(env_.Take<wire::Hello>().at(0).last_seq, 50);
  Welcome(30);
  EXPECT_EQ(Batches(), (Spans{{26, 35, 0}}));
  EXPECT_EQ(session_->status().central_behind, 0);
}

// --- The database lost commits ---

TEST_F(ReplicationSessionTest, WelcomeAboveTheLastSeqStartsANewIncarnationFromSeq1) {
  Streaming(20, 30);
  ASSERT_EQ(env_.new_streams.size(), 1u);
  EXPECT_NE(env_.new_streams[0].find(
                "central acknowledged seq 30 of incarnation i1 but this database ends at seq 20"),
            std::string::npos);
  EXPECT_EQ(session_->incarnation(), "i2");
  EXPECT_EQ(session_->status().stream_restarts, 1);
  std::vector<wire::Hello> hellos = env_.Take<wire::Hello>();
  ASSERT_EQ(hellos.size(), 1u);  // at once, for the new stream
  EXPECT_EQ(hellos[0].incarnation, "i2");
  Welcome(0);
  EXPECT_EQ(Batches(), (Spans{{1, 10, 0}, {11, 20, 0}}));
}

TEST_F(ReplicationSessionTest, StreamDivergedStartsANewIncarnation) {
  Streaming(25, 20);
  Batches();
  Refuse("diverged", 20);
  ASSERT_EQ(env_.new_streams.size(), 1u);
  EXPECT_EQ(env_.Take<wire::Hello>().at(0).incarnation, "i2");
  Welcome(0);
  EXPECT_EQ(Batches(), (Spans{{1, 10, 0}, {11, 20, 0}, {21, 25, 0}}));
}

// --- Central behind what it acknowledged ---

TEST_F(ReplicationSessionTest, CentralBehindWelcomeResendsFromItsPositionAndCountsIt) {
  Streaming(30, 0);
  Batches();
  Ack(30);
  session_->OnLinkEvent({LinkEvent::Kind::kDisconnected}, now_);
  Handshake();
  Welcome(10);  // restored from an older backup
  EXPECT_EQ(Batches(), (Spans{{6, 15, 0}}));
  const SessionStatus& s = session_->status();
  EXPECT_EQ(s.central_behind, 1);
  EXPECT_EQ(s.last_behind.central_seq, 10);
  EXPECT_EQ(s.last_behind.acked_before, 30);
  EXPECT_EQ(s.last_behind.resent, 20);
  EXPECT_EQ(s.last_behind.pruned, 0);
  Ack(15);
  EXPECT_EQ(Batches(), (Spans{{16, 25, 0}, {26, 30, 0}}));
  session_->OnLinkEvent({LinkEvent::Kind::kDisconnected}, now_);
  Handshake();
  Welcome(15);  // the same re-send, reconnected: not a second occurrence
  EXPECT_EQ(session_->status().central_behind, 1);
}

TEST_F(ReplicationSessionTest, CentralBehindGapAnswerToAHeartbeatResendsFromThere) {
  Streaming(30, 0);
  Batches();
  Ack(30);
  Refuse("gap", 0);  // its database was recreated empty
  EXPECT_EQ(session_->status().central_behind, 1);
  EXPECT_EQ(session_->status().last_behind.resent, 30);
  EXPECT_EQ(Batches(), (Spans{{1, 10, 0}, {11, 20, 0}, {21, 30, 0}}));
  EXPECT_EQ(session_->confirmed_seq(), 0);
}

// --- Retention ---

TEST_F(ReplicationSessionTest, CentralOlderThanRetentionResendsFromTheFirstKeptWithPrunedTo) {
  env_.first_kept = 21;  // 1-20 pruned
  Streaming(40, 0);
  Batches();
  Ack(40);
  session_->OnLinkEvent({LinkEvent::Kind::kDisconnected}, now_);
  Handshake();
  Welcome(5);
  EXPECT_EQ(Batches(), (Spans{{21, 30, 20}}));  // the tail 1-5 is pruned: from the first kept
  EXPECT_EQ(session_->status().last_behind.resent, 20);
  EXPECT_EQ(session_->status().last_behind.pruned, 15);  // 6-20: lost to central for good
  Ack(30);
  EXPECT_EQ(Batches(), (Spans{{31, 40, 0}}));
}

TEST_F(ReplicationSessionTest, AcknowledgedTailPartlyPrunedIsSentFromTheFirstKept) {
  env_.first_kept = 18;
  Streaming(40, 20);
  EXPECT_EQ(Batches(), (Spans{{18, 27, 17}}));  // 16-17 pruned, 18-20 checked
}

TEST_F(ReplicationSessionTest, NewIncarnationAfterPruningStreamsFromPPlusOneWithPrunedTo) {
  env_.first_kept = 11;
  Streaming(30, 35);  // central holds more than this database: new stream
  EXPECT_EQ(session_->incarnation(), "i2");
  Welcome(0);
  EXPECT_EQ(Batches(), (Spans{{11, 20, 10}, {21, 30, 0}}));
}

// --- Refusals ---

TEST_F(ReplicationSessionTest, UnknownStreamSaysHelloAgainAtOnce) {
  Streaming(50, 0, 2);
  Batches();
  Refuse("unknown_stream");
  EXPECT_EQ(env_.Take<wire::Hello>().size(), 1u);
  EXPECT_EQ(env_.opened.size(), 1u);  // it only asks for a hello: no reason to leave
  EXPECT_EQ(session_->status().refusals, 1);
}

TEST_F(ReplicationSessionTest, UnknownKeyIsReportedAndRetriedEvery5s) {
  Make();
  session_->OnLinkEvent({LinkEvent::Kind::kKeyRefused, 400}, now_);
  EXPECT_EQ(session_->status().last_error, KeyRefusedMessage(400, "S1"));
  At(4999);
  EXPECT_EQ(env_.reconnects, 0);
  At(5000);
  EXPECT_EQ(env_.reconnects, 1);
}

TEST_F(ReplicationSessionTest, KeyOfAnotherStoreIsReportedAndRetriedAfter30s) {
  Streaming(50, 0);
  Batches();
  Refuse("wrong_store");
  EXPECT_EQ(session_->status().last_error, "central refused this edge (wrong_store): why");
  EXPECT_FALSE(session_->status().welcomed);
  At(29'999);
  EXPECT_TRUE(env_.Take<wire::Hello>().empty());
  EXPECT_EQ(Batches(), Spans{});  // refused: nothing more is sent
  At(30'000);
  EXPECT_EQ(env_.Take<wire::Hello>().size(), 1u);
}

TEST_F(ReplicationSessionTest, MalformedVersionAndOverflowRefusalsAreReportedAndAskedAgainIn30s) {
  for (const std::string code : {"malformed", "version", "overflow"}) {
    Streaming(50, 0);
    Batches();
    Refuse(code);
    EXPECT_EQ(session_->status().last_error, "central refused this edge (" + code + "): why");
    At(29'999);
    EXPECT_TRUE(env_.Take<wire::Hello>().empty()) << code;
    At(30'000);
    EXPECT_EQ(env_.Take<wire::Hello>().size(), 1u) << code;
    now_ = kT;
  }
}

TEST_F(ReplicationSessionTest, CentralFrozenHandshakeTimeoutIsNotAKeyProblem) {
  Make();
  session_->OnLinkEvent({LinkEvent::Kind::kTcpConnected}, now_);
  now_ += 10'000;
  session_->OnLinkEvent({LinkEvent::Kind::kHandshakeFailed}, now_);
  EXPECT_EQ(session_->status().last_error,
            HandshakeFailedMessage(10'000, 10'000, "tcp://central-a:7600"));
  EXPECT_NE(session_->status().last_error.find("did not answer the CURVE handshake"),
            std::string::npos);
  session_->OnLinkEvent({LinkEvent::Kind::kConnectRetried}, now_);  // keeps the better diagnosis
  EXPECT_EQ(session_->status().last_error,
            HandshakeFailedMessage(10'000, 10'000, "tcp://central-a:7600"));
}

// --- Several centrals ---

TEST_F(ReplicationSessionTest, SeveralCentralsARefusalLeavesForTheNextAtOnce) {
  Streaming(50, 0, 2);
  Batches();
  Refuse("wrong_store");  // the step after the refusal fails over
  EXPECT_EQ(env_.opened, (std::vector<std::string>{"tcp://central-a:7600", "tcp://central-b:7600"}));
  EXPECT_EQ(env_.closes, 1);
  EXPECT_EQ(session_->status().failovers, 1);
  EXPECT_EQ(session_->status().central, "tcp://central-b:7600");
  Handshake();
  EXPECT_EQ(env_.Take<wire::Hello>().size(), 1u);
  Welcome(0);  // central b resumes from the shared database's position
  EXPECT_EQ(Batches(), (Spans{{1, 10, 0}, {11, 20, 0}, {21, 30, 0}}));
}

TEST_F(ReplicationSessionTest, SeveralCentralsRetryFor10sWithoutAnAckLeaves) {
  Streaming(50, 0, 2);
  Refuse("retry");  // the first: one failed group commit is no reason
  At(9'999);
  Refuse("retry");
  EXPECT_EQ(env_.opened.size(), 1u);
  At(10'000);
  Refuse("retry");
  EXPECT_EQ(env_.opened.size(), 2u);
  EXPECT_EQ(session_->status().central, "tcp://central-b:7600");
}

TEST_F(ReplicationSessionTest, SeveralCentralsAnAckEndsTheStall) {
  Streaming(50, 0, 2);
  Refuse("retry");
  At(5'000);
  Ack(10);
  At(10'000);
  Refuse("retry");  // a new stall starts here
  EXPECT_EQ(env_.opened.size(), 1u);
}

TEST_F(ReplicationSessionTest, SeveralCentralsNoWelcomeWithin15sLeaves) {
  env_.last_seq = 50;
  Make(2);
  Handshake();
  At(15'000);
  At(15'000);
  EXPECT_EQ(env_.opened.size(), 1u);
  At(15'001);  // decides to leave…
  At(15'001);  // …and leaves at the next step
  EXPECT_EQ(env_.opened.size(), 2u);
}

TEST_F(ReplicationSessionTest, SeveralCentralsAllDownBackOffBeforeTheNextRound) {
  Make(2);
  session_->OnLinkEvent({LinkEvent::Kind::kConnectRetried}, now_);
  Step();
  EXPECT_EQ(env_.opened.size(), 2u);  // the next at once
  session_->OnLinkEvent({LinkEvent::Kind::kConnectRetried}, now_);
  Step();  // a whole round failed: 0.5 s before the first again
  EXPECT_EQ(env_.opened.size(), 2u);
  At(499);
  EXPECT_EQ(env_.opened.size(), 2u);
  At(500);
  EXPECT_EQ(env_.opened.back(), "tcp://central-a:7600");
  EXPECT_EQ(session_->status().failovers, 2);
}

TEST_F(ReplicationSessionTest, OneCentralIsNeverLeft) {
  Make(1);
  session_->OnLinkEvent({LinkEvent::Kind::kConnectRetried}, now_);
  session_->OnLinkEvent({LinkEvent::Kind::kDisconnected}, now_);
  At(60'000);
  EXPECT_EQ(env_.opened.size(), 1u);  // ZeroMQ reconnects it for ever
  EXPECT_EQ(env_.closes, 0);
}

// --- Heartbeats and hellos ---

TEST_F(ReplicationSessionTest, HeartbeatRightAfterTheWelcomeThenEvery5s) {
  Streaming(30, 10);
  std::vector<wire::Heartbeat> beats = env_.Take<wire::Heartbeat>();
  ASSERT_EQ(beats.size(), 1u);
  EXPECT_EQ(beats[0].clock_ms, kT);
  EXPECT_EQ(beats[0].last_seq, 30);
  EXPECT_EQ(beats[0].acked_seq, 10);
  EXPECT_EQ(beats[0].backlog_events, 20);
  At(4'999);
  EXPECT_TRUE(env_.Take<wire::Heartbeat>().empty());
  At(5'000);
  EXPECT_EQ(env_.Take<wire::Heartbeat>().size(), 1u);
}

TEST_F(ReplicationSessionTest, HelloBacksOffWhileCentralDoesNotAnswer) {
  Make();
  Handshake();  // hello at 0, then at 0.5 s, 1.5 s, 3.5 s: the wait doubles
  std::vector<int64_t> hello_at{0};
  env_.Take<wire::Hello>();
  for (int64_t t = 1; t <= 4000; ++t) {
    At(t);
    if (!env_.Take<wire::Hello>().empty()) hello_at.push_back(t);
  }
  EXPECT_EQ(hello_at, (std::vector<int64_t>{0, 500, 1500, 3500}));
}

TEST_F(ReplicationSessionTest, CentralsHeartbeatGivesItsClockOffset) {
  Streaming(0, 0);
  wire::Heartbeat beat;
  beat.clock_ms = kT + 3'000;
  Receive(beat);
  EXPECT_EQ(session_->status().central_clock_offset_ms, 3'000);
}

}  // namespace
}  // namespace storepulse::edge
