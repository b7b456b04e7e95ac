// Central's stream admission (central/stream_admission.h) and the batch plan it relies on
// (central/batch_plan.h) without a socket or a database: a log whose positions the test sets, the
// real Fleet and Refusals, and times given by the test. One test per central half of the rows of
// docs/PROTOCOL.md's failure table ("Failures, and what happens"); expectations by hand.
#include "central/stream_admission.h"

#include <gtest/gtest.h>

#include "central/batch_plan.h"
#include "common/event_codec.h"
#include "common/transport/curve_keys.h"
#include "tests/integration/test_events.h"

namespace storepulse::central {
namespace {

namespace wire = common::wire;

constexpr int64_t kT = 1'700'000'000'000;  // the test's "now", 2023-11-14

// Positions the test sets; unreadable like PostgreSQL restarting when `readable` is false.
class FakeLog final : public LogStore {
 public:
  std::map<StreamKey, int64_t> positions;
  bool readable = true;

  common::Status ApplyGroup(const std::vector<const StreamBatch*>&, int64_t,
                            std::vector<ApplyOutcome>*) override {
    return common::Unavailable("the admission never applies");
  }
  int64_t AckedSeq(const StreamKey& stream) const override {
    auto it = positions.find(stream);
    return it == positions.end() ? 0 : it->second;
  }
  std::optional<int64_t> FreshAckedSeq(const StreamKey& stream) const override {
    if (!readable) return std::nullopt;
    return AckedSeq(stream);
  }
};

std::vector<std::string> Bodies(const std::string& prefix, int count, int64_t ts_ms) {
  return test_support::StoredBodies(test_support::Sales(prefix, count, ts_ms));
}

// A batch of `count` events from first_seq on, as PlanBatch sees it.
StreamBatch Planned(int64_t first_seq, int count, int64_t pruned_to = 0) {
  return {{"S1", "i1"}, first_seq, test_support::Sales("p", count, kT - 3'600'000), pruned_to};
}

class StreamAdmissionTest : public ::testing::Test {
 protected:
  StreamAdmissionTest()
      : directory_(*StoreDirectory::Parse("store,public_key,name,region,timezone,area_m2\n"
                                          "S1," +
                                          common::GenerateCurveKeyPair()->public_key +
                                          ",Paris,north,Europe/Paris,100\n"
                                          "S2," +
                                          common::GenerateCurveKeyPair()->public_key +
                                          ",Lyon,south,Europe/Paris,\n")),
        admission_([this] { return directory_; }, log_, fleet_, refusals_, storage_) {}

  std::optional<wire::Message> Hello(const std::string& peer, int64_t last_seq,
                                     const std::string& incarnation = "i1") {
    return admission_.OnHello(peer, "S1", {"S1", incarnation, last_seq, "1.0"}, kT);
  }
  std::variant<AdmittedBatch, wire::Message> Batch(const std::string& peer, int64_t first_seq,
                                                   std::vector<std::string> bodies,
                                                   const std::string& incarnation = "i1") {
    return admission_.OnBatch(peer, "S1", {incarnation, first_seq, std::move(bodies)}, kT);
  }
  nlohmann::json FleetRow() { return fleet_.ToJson(*directory_, refusals_, kT)["stores"][0]; }

  std::shared_ptr<const StoreDirectory> directory_;
  FakeLog log_;
  Fleet fleet_;
  Refusals refusals_;
  StorageState storage_;
  StreamAdmission admission_;
};

// The refusal an answer is (a failed expectation when it is something else).
wire::Error AsError(const std::optional<wire::Message>& m) {
  EXPECT_TRUE(m && std::holds_alternative<wire::Error>(*m));
  return m && std::holds_alternative<wire::Error>(*m) ? std::get<wire::Error>(*m) : wire::Error{};
}
wire::Error Refused(const std::variant<AdmittedBatch, wire::Message>& m) {
  EXPECT_TRUE(std::holds_alternative<wire::Message>(m));
  return std::holds_alternative<wire::Message>(m) ? AsError(std::get<wire::Message>(m))
                                                  : wire::Error{};
}

ApplyOutcome Outcome(int64_t acked_seq, int64_t applied = 0, int64_t skipped = 0) {
  ApplyOutcome outcome;
  outcome.acked_seq = acked_seq;
  outcome.applied = applied;
  outcome.skipped = skipped;
  return outcome;
}

// --- Hello ---

TEST_F(StreamAdmissionTest, ReconnectedOrRestartedEdgeIsWelcomedAtTheStreamsPosition) {
  log_.positions[{"S1", "i1"}] = 40;
  std::optional<wire::Message> answer = Hello("p1", 50);
  ASSERT_TRUE(answer && std::holds_alternative<wire::Welcome>(*answer));
  const auto& welcome = std::get<wire::Welcome>(*answer);
  EXPECT_EQ(welcome.incarnation, "i1");
  EXPECT_EQ(welcome.acked_seq, 40);
  EXPECT_EQ(welcome.clock_ms, kT);
  EXPECT_EQ(FleetRow()["acked_seq"], 40);
  EXPECT_FALSE(FleetRow().contains("stream_rollbacks"));  // shown only once it went backwards
}

TEST_F(StreamAdmissionTest, EdgeLostCommitsIsWelcomedAsUsualAndCountedAsARollback) {
  log_.positions[{"S1", "i1"}] = 40;
  std::optional<wire::Message> answer = Hello("p1", 30);  // the edge's database ends below
  ASSERT_TRUE(answer && std::holds_alternative<wire::Welcome>(*answer));
  EXPECT_EQ(std::get<wire::Welcome>(*answer).acked_seq, 40);
  EXPECT_EQ(FleetRow()["stream_rollbacks"], 1);
  EXPECT_EQ(FleetRow()["last_rollback"]["detail"],
            "the edge's database ends at seq 30 but central acknowledged seq 40 of incarnation i1");
}

TEST_F(StreamAdmissionTest, HelloIsNotAnsweredWhileThePositionCannotBeRead) {
  log_.positions[{"S1", "i1"}] = 40;
  log_.readable = false;
  EXPECT_FALSE(Hello("p1", 50));
  EXPECT_FALSE(Hello("p1", 50));
  log_.readable = true;
  std::optional<wire::Message> answer = Hello("p1", 50);
  ASSERT_TRUE(answer && std::holds_alternative<wire::Welcome>(*answer));
  EXPECT_EQ(std::get<wire::Welcome>(*answer).acked_seq, 40);
}

TEST_F(StreamAdmissionTest, KeyOfAnotherStoreIsRefusedAsWrongStore) {
  wire::Error error = AsError(admission_.OnHello("p1", "S1", {"S2", "i1", 5, "1.0"}, kT));
  EXPECT_EQ(error.code, "wrong_store");
  EXPECT_EQ(error.message, "the key of store S1 cannot send for store S2");
  EXPECT_EQ(refusals_.CountForStore("S1"), 1);
  EXPECT_EQ(Refused(Batch("p1", 1, Bodies("e", 1, kT))).code, "unknown_stream");  // no session
}

TEST_F(StreamAdmissionTest, StoreNotInTheStoresFileIsAnUnknownStream) {
  wire::Error error = AsError(admission_.OnHello("p1", "S9", {"S9", "i1", 5, "1.0"}, kT));
  EXPECT_EQ(error.code, "unknown_stream");
  EXPECT_EQ(error.message, "store not in the stores file");
}

// --- Batches ---

TEST_F(StreamAdmissionTest, BatchBeforeHelloIsAnUnknownStream) {
  wire::Error error = Refused(Batch("p1", 1, Bodies("e", 2, kT - 60'000)));
  EXPECT_EQ(error.code, "unknown_stream");
  EXPECT_EQ(error.message, "batch before hello: say hello again");
  Hello("p1", 2);
  EXPECT_EQ(Refused(Batch("p1", 1, Bodies("e", 2, kT - 60'000), "i0")).code, "unknown_stream");
  EXPECT_EQ(refusals_.CountForStore("S1"), 2);
}

TEST_F(StreamAdmissionTest, ANewConnectionOfTheStoreEndsItsOldSession) {
  Hello("p1", 2);
  Hello("p2", 2);
  EXPECT_EQ(Refused(Batch("p1", 1, Bodies("e", 2, kT - 60'000))).code, "unknown_stream");
  EXPECT_TRUE(std::holds_alternative<AdmittedBatch>(Batch("p2", 1, Bodies("e", 2, kT - 60'000))));
}

TEST_F(StreamAdmissionTest, BatchAfterHelloGoesToTheApplierWithItsStreamAndZone) {
  Hello("p1", 3);
  wire::Batch m{"i1", 4, Bodies("e", 3, kT - 60'000), 3};
  auto admitted = admission_.OnBatch("p1", "S1", m, kT);
  ASSERT_TRUE(std::holds_alternative<AdmittedBatch>(admitted));
  const StreamBatch& batch = std::get<AdmittedBatch>(admitted).batch;
  EXPECT_EQ(batch.stream, (StreamKey{"S1", "i1"}));
  EXPECT_EQ(batch.first_seq, 4);
  EXPECT_EQ(batch.pruned_to, 3);
  ASSERT_EQ(batch.events.size(), 3u);
  EXPECT_EQ(batch.events[2].id, "e-2");
  ASSERT_NE(batch.zone, nullptr);
  EXPECT_EQ(batch.zone->name(), "Europe/Paris");
}

TEST_F(StreamAdmissionTest, MalformedFrameIsRefusedAsMalformed) {
  auto decoded = wire::Decode("not msgpack at all");
  ASSERT_FALSE(decoded.ok());
  wire::Error error = AsError(admission_.Undecodable("S1", decoded.status(), kT));
  EXPECT_EQ(error.code, "malformed");
  EXPECT_EQ(AsError(admission_.Unexpected("S1", kT)).code, "malformed");
  EXPECT_EQ(refusals_.CountForStore("S1"), 2);
}

TEST_F(StreamAdmissionTest, MalformedEventRefusesTheWholeBatchWithThePosition) {
  log_.positions[{"S1", "i1"}] = 7;
  Hello("p1", 9);
  std::vector<std::string> bodies = Bodies("e", 2, kT - 60'000);
  bodies[1] = "garbage";
  wire::Error error = Refused(Batch("p1", 8, bodies));
  EXPECT_EQ(error.code, "malformed");
  EXPECT_EQ(error.acked_seq, 7);
  EXPECT_EQ(error.message.rfind("undecodable event: ", 0), 0u) << error.message;
}

TEST_F(StreamAdmissionTest, OtherProtocolVersionIsRefusedAsVersion) {
  std::string bytes = wire::Encode(wire::Hello{"S1", "i1", 0, "1.0"});
  ASSERT_EQ(bytes[1], '\x01');  // [version, type, …]: a fixarray, then the version
  bytes[1] = '\x02';
  auto decoded = wire::Decode(bytes);
  ASSERT_FALSE(decoded.ok());
  wire::Error error = AsError(admission_.Undecodable("S1", decoded.status(), kT));
  EXPECT_EQ(error.code, "version");
  EXPECT_NE(error.message.find("protocol version 2 is not supported"), std::string::npos);
}

TEST_F(StreamAdmissionTest, EventOfAnotherStoreIsRefusedAsWrongStore) {
  Hello("p1", 1);
  common::Event event = test_support::Sale("e-1", 1, 100, common::Channel::kStore, kT - 60'000);
  event.store = "S2";
  wire::Error error = Refused(Batch("p1", 1, {common::EncodeStored(event)}));
  EXPECT_EQ(error.code, "wrong_store");
  EXPECT_EQ(error.message, "event e-1 names store S2; nothing stored");
}

TEST_F(StreamAdmissionTest, ReplicatedEventTooFarAheadIsRefusedAsMalformed) {
  Hello("p1", 2);
  const int64_t day = 86'400'000;
  // 24 h ahead of the edge plus 7 days of edge clock skew: 8 days ahead of central's clock.
  EXPECT_TRUE(
      std::holds_alternative<AdmittedBatch>(Batch("p1", 1, Bodies("ok", 1, kT + 8 * day - 60'000))));
  wire::Error error = Refused(Batch("p1", 1, Bodies("far", 1, kT + 8 * day + 60'000)));
  EXPECT_EQ(error.code, "malformed");
  EXPECT_EQ(error.message.rfind("invalid event far-0: ", 0), 0u) << error.message;
}

// --- Outcomes of the applier (replay, overlap, gap, write failures, divergence, pruning) ---

TEST_F(StreamAdmissionTest, ReplaySkipsEveryEventAndAcksTheCurrentPosition) {
  BatchPlan plan = PlanBatch(Planned(1, 5), 10);
  EXPECT_FALSE(plan.gap);
  EXPECT_EQ(plan.first_new, 5u);  // all five at or below 10
  wire::Message answer = admission_.OnApplied("S1", "i1", 0, Outcome(10, 0, 5), kT);
  ASSERT_TRUE(std::holds_alternative<wire::Ack>(answer));
  EXPECT_EQ(std::get<wire::Ack>(answer).acked_seq, 10);
}

TEST_F(StreamAdmissionTest, OverlapSkipsTheKnownPrefixAppliesTheRestAndAcks) {
  BatchPlan plan = PlanBatch(Planned(8, 5), 10);  // 8-12 over a position of 10
  EXPECT_FALSE(plan.gap);
  EXPECT_EQ(plan.first_new, 3u);  // 11 and 12 are new
  wire::Message answer = admission_.OnApplied("S1", "i1", 0, Outcome(12, 2, 3), kT);
  ASSERT_TRUE(std::holds_alternative<wire::Ack>(answer));
  EXPECT_EQ(std::get<wire::Ack>(answer).acked_seq, 12);
  EXPECT_EQ(FleetRow()["acked_seq"], 12);
}

TEST_F(StreamAdmissionTest, GapAppliesNothingAndAnswersGapWithTheAckedSeq) {
  EXPECT_TRUE(PlanBatch(Planned(12, 5), 10).gap);
  EXPECT_FALSE(PlanBatch(Planned(11, 5), 10).gap);
  ApplyOutcome outcome = Outcome(10);
  outcome.gap = true;
  wire::Error error = AsError(admission_.OnApplied("S1", "i1", 0, outcome, kT));
  EXPECT_EQ(error.code, "gap");
  EXPECT_EQ(error.acked_seq, 10);
}

TEST_F(StreamAdmissionTest, CentralWriteFailsAnswersRetry) {
  wire::Error error =
      AsError(admission_.OnApplied("S1", "i1", 0, common::ResourceExhausted("disk full"), kT));
  EXPECT_EQ(error.code, "retry");
  EXPECT_EQ(error.message, "central is not storing: disk full");
  EXPECT_EQ(error.incarnation, "i1");
  EXPECT_EQ(refusals_.CountForStore("S1"), 0);  // not a refusal: the edge resends
}

TEST_F(StreamAdmissionTest, BatchOfAStreamAnotherCentralIsApplyingAnswersRetry) {
  ApplyOutcome outcome = Outcome(10);
  outcome.busy = true;
  wire::Error error = AsError(admission_.OnApplied("S1", "i1", 0, outcome, kT));
  EXPECT_EQ(error.code, "retry");
  EXPECT_EQ(error.acked_seq, 10);
}

TEST_F(StreamAdmissionTest, StreamDivergedRefusesTheBatchCountsItAndShowsTheRollback) {
  StreamBatch batch = Planned(3, 4);  // 3-6 over a position of 5: 3-5 are checked
  auto diverged = CheckReplayed(batch, 5, [](const std::string& id)
                                    -> common::StatusOr<std::optional<StoredAt>> {
    if (id == "p-1") return std::optional<StoredAt>();  // seq 4 holds an id never stored
    return std::optional<StoredAt>(StoredAt{"i1", 3 + std::stoi(id.substr(2))});
  });
  ASSERT_TRUE(diverged.ok());
  EXPECT_EQ(*diverged,
            "seq 4 of incarnation i1 (acknowledged up to 5) now holds event p-1, which was never "
            "received");
  ApplyOutcome outcome = Outcome(5);
  outcome.diverged = *diverged;
  wire::Error error = AsError(admission_.OnApplied("S1", "i1", 0, outcome, kT));
  EXPECT_EQ(error.code, "diverged");
  EXPECT_EQ(error.message, *diverged + "; start a new incarnation");
  EXPECT_EQ(error.acked_seq, 5);
  EXPECT_EQ(refusals_.CountForStore("S1"), 1);
  EXPECT_EQ(FleetRow()["stream_rollbacks"], 1);
}

TEST_F(StreamAdmissionTest, ReplayedIdStoredAtAnotherSeqOfTheStreamHasDiverged) {
  auto diverged = CheckReplayed(Planned(1, 2), 2, [](const std::string&)
                                    -> common::StatusOr<std::optional<StoredAt>> {
    return std::optional<StoredAt>(StoredAt{"i1", 9});
  });
  ASSERT_TRUE(diverged.ok());
  EXPECT_NE(diverged->find("which is stored at seq 9"), std::string::npos) << *diverged;
}

TEST_F(StreamAdmissionTest, CentralOlderThanRetentionMovesPastThePrunedSeqs) {
  BatchPlan plan = PlanBatch(Planned(21, 10, 20), 5);  // the edge kept 21… and pruned up to 20
  EXPECT_FALSE(plan.gap);
  EXPECT_EQ(plan.acked, 20);
  EXPECT_EQ(plan.passed_pruned, 15);  // 6-20: central lacks them for good
  EXPECT_EQ(plan.first_new, 0u);
  ApplyOutcome outcome = Outcome(30, 10);
  outcome.passed_pruned = 15;
  wire::Message answer = admission_.OnApplied("S1", "i1", 20, outcome, kT);
  ASSERT_TRUE(std::holds_alternative<wire::Ack>(answer));
  EXPECT_EQ(std::get<wire::Ack>(answer).acked_seq, 30);
}

TEST_F(StreamAdmissionTest, TailPartlyPrunedChecksOnlyTheKeptPart) {
  BatchPlan plan = PlanBatch(Planned(18, 10, 17), 20);  // tail 16-20, 16-17 pruned
  EXPECT_FALSE(plan.gap);
  EXPECT_EQ(plan.acked, 20);
  EXPECT_EQ(plan.passed_pruned, 0);
  EXPECT_EQ(plan.first_new, 3u);  // 18-20 are replays, checked by CheckReplayed
}

TEST_F(StreamAdmissionTest, NewIncarnationAfterPruningMovesPastOneToP) {
  BatchPlan plan = PlanBatch(Planned(11, 10, 10), 0);
  EXPECT_FALSE(plan.gap);
  EXPECT_EQ(plan.acked, 10);
  EXPECT_EQ(plan.passed_pruned, 10);
  EXPECT_EQ(plan.first_new, 0u);
}

// --- Heartbeats ---

TEST_F(StreamAdmissionTest, HeartbeatIsAnsweredWithCentralsClockAndThePosition) {
  log_.positions[{"S1", "i1"}] = 40;
  Hello("p1", 50);
  wire::Heartbeat beat;
  beat.clock_ms = kT - 2'000;
  beat.acked_seq = 40;
  beat.version = "1.0";
  std::optional<wire::Message> answer = admission_.OnHeartbeat("p1", "S1", beat, kT);
  ASSERT_TRUE(answer && std::holds_alternative<wire::Heartbeat>(*answer));
  EXPECT_EQ(std::get<wire::Heartbeat>(*answer).clock_ms, kT);
  EXPECT_EQ(std::get<wire::Heartbeat>(*answer).acked_seq, 40);
}

TEST_F(StreamAdmissionTest, CentralBehindWhatItAcknowledgedAnswersTheHeartbeatWithGap) {
  log_.positions[{"S1", "i1"}] = 40;
  Hello("p1", 50);
  log_.positions[{"S1", "i1"}] = 10;  // restored from an older backup meanwhile
  wire::Heartbeat beat;
  beat.clock_ms = kT;
  beat.acked_seq = 40;
  beat.version = "1.0";
  wire::Error error = AsError(admission_.OnHeartbeat("p1", "S1", beat, kT));
  EXPECT_EQ(error.code, "gap");
  EXPECT_EQ(error.acked_seq, 10);
  EXPECT_EQ(error.incarnation, "i1");
}

TEST_F(StreamAdmissionTest, AbsurdHeartbeatIsCountedNotShownNorAnswered) {
  wire::Heartbeat beat;
  beat.clock_ms = 5;  // 1970: not a clock
  EXPECT_FALSE(admission_.OnHeartbeat("p1", "S1", beat, kT));
  EXPECT_EQ(refusals_.CountForStore("S1"), 1);
}

}  // namespace
}  // namespace storepulse::central
