// The edge's replication session (edge/replication_session.h), its stream: one test per edge half
// of the rows of docs/PROTOCOL.md's failure table ("Failures, and what happens") about acks,
// rewinds, reconnections, lost commits, central behind and retention, plus the window, the
// heartbeat and the hello back-off. The fixture: replication_session_fixture.h.
#include "tests/edge/replication_session_fixture.h"

namespace storepulse::edge::session_test {
namespace {

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
  EXPECT_EQ(Batches(), Spans{});  // central cannot store (its disk full?): give it a moment
  EXPECT_EQ(session_->status().last_error, "central answered retry: why");
  At(499);
  EXPECT_EQ(Batches(), Spans{});
  At(500);
  EXPECT_EQ(Batches(), (Spans{{11, 20, 0}, {21, 30, 0}, {31, 40, 0}}));
  EXPECT_EQ(env_.opened.size(), 1u);  // one central: no failover
  Refuse("retry");                    // again: the pause doubles, up to 5 s
  At(1'499);
  EXPECT_EQ(Batches(), Spans{});
  At(1'500);
  EXPECT_EQ(Batches(), (Spans{{11, 20, 0}, {21, 30, 0}, {31, 40, 0}}));
  Ack(20);  // stored again: no pause any more, and the error is gone
  EXPECT_EQ(session_->status().last_error, "");
  EXPECT_EQ(Batches(), (Spans{{41, 50, 0}}));
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
  At(10'501);  // after the retry's pause
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

// Reference documents (docs/PROTOCOL.md, "Reference documents"): the heartbeat names the versions
// held only to a central whose welcome has the capability — to an older central it stays the
// heartbeat it always was — and then always, even when nothing is held.
TEST_F(ReplicationSessionTest, TheHeartbeatNamesTheDocumentsHeldOnlyToACentralThatSendsThem) {
  env_.documents = std::map<std::string, std::string>{};
  Streaming(30, 10);  // welcomed without capabilities: an older central
  std::vector<wire::Heartbeat> beats = env_.Take<wire::Heartbeat>();
  ASSERT_EQ(beats.size(), 1u);
  EXPECT_FALSE(beats[0].documents.has_value());
  EXPECT_EQ(wire::Encode(beats[0])[0], '\x9b');  // the nine fields every central reads
  EXPECT_FALSE(session_->status().central_documents);

  Receive(wire::Welcome{session_->incarnation(), 10, now_, {"day_certificates", "documents"}});
  At(0);
  beats = env_.Take<wire::Heartbeat>();
  ASSERT_EQ(beats.size(), 1u);  // at once after the welcome
  ASSERT_TRUE(beats[0].documents.has_value());
  EXPECT_TRUE(beats[0].documents->empty());
  EXPECT_TRUE(session_->status().central_documents);
  EXPECT_FALSE(session_->status().central_network_stock);
  env_.documents = std::map<std::string, std::string>{{"catalogue", "0123456789abcdef"}};
  At(5'000);
  beats = env_.Take<wire::Heartbeat>();
  ASSERT_EQ(beats.size(), 1u);
  EXPECT_EQ(beats[0].documents, env_.documents);

  session_->OnLinkEvent({LinkEvent::Kind::kDisconnected}, now_);  // until the next welcome
  EXPECT_FALSE(session_->status().central_documents);
}

// The wall clock steps back an hour (issue 13): the session times its intervals on the monotonic
// `now`, so heartbeats keep their pace — before, it sent none for an hour and central showed the
// store offline — while the heartbeat tells central the wall clock, whose skew the fleet shows.
TEST_F(ReplicationSessionTest, AWallClockStepStallsNoHeartbeat) {
  Streaming(30, 10);
  env_.Take<wire::Heartbeat>();
  env_.wall_offset_ms = -3'600'000;
  At(5'000);
  std::vector<wire::Heartbeat> beats = env_.Take<wire::Heartbeat>();
  ASSERT_EQ(beats.size(), 1u);
  EXPECT_EQ(beats[0].clock_ms, kT + 5'000 - 3'600'000);
  env_.wall_offset_ms = 3'600'000;  // and forward
  At(10'000);
  beats = env_.Take<wire::Heartbeat>();
  ASSERT_EQ(beats.size(), 1u);
  EXPECT_EQ(beats[0].clock_ms, kT + 10'000 + 3'600'000);
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
}  // namespace storepulse::edge::session_test
