// The edge's replication session (edge/replication_session.h), its link: one test per edge half of
// the rows of docs/PROTOCOL.md's failure table about refusals, keys, a frozen central and several
// centrals. The fixture: replication_session_fixture.h.
#include "edge/link_diagnosis.h"
#include "tests/edge/replication_session_fixture.h"

namespace storepulse::edge::session_test {
namespace {

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

// A round trip of seconds (issue 13's 2 s latency scenario): the handshake's four round trips
// take longer than 10 s. Each handshake that runs out of time doubles the next one's limit, up
// to 160 s; one cut short (a refusal, a reset) does not.
TEST_F(ReplicationSessionTest, SlowLinkAHandshakeOutOfTimeDoublesTheNextLimit) {
  Make();
  for (int64_t limit : {10'000, 20'000, 40'000, 80'000, 160'000}) {
    session_->OnLinkEvent({LinkEvent::Kind::kTcpConnected}, now_);
    now_ += limit;
    session_->OnLinkEvent({LinkEvent::Kind::kHandshakeFailed}, now_);
    Step();  // ZeroMQ reads the limit when the socket is made: the link is opened again
  }
  EXPECT_EQ(env_.handshake_limits,
            (std::vector<int64_t>{10'000, 20'000, 40'000, 80'000, 160'000}));  // 160 s at most
  EXPECT_EQ(env_.closes, 4);
  session_->OnLinkEvent({LinkEvent::Kind::kTcpConnected}, now_);
  now_ += 1'000;
  session_->OnLinkEvent({LinkEvent::Kind::kHandshakeFailed}, now_);
  Step();
  EXPECT_EQ(env_.handshake_limits.size(), 5u);  // cut short: the same link goes on
}

// --- Several centrals ---

TEST_F(ReplicationSessionTest, SeveralCentralsARefusalLeavesForTheNextAtOnce) {
  Streaming(50, 0, 2);
  Batches();
  Refuse("wrong_store");  // the step after the refusal fails over
  EXPECT_EQ(env_.opened,
            (std::vector<std::string>{"tcp://central-a:7600", "tcp://central-b:7600"}));
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

}  // namespace
}  // namespace storepulse::edge::session_test
