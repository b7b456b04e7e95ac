// What a hostile or broken peer says over replication: absurd heartbeats, events too far in the
// future, a flood of unknown keys. Refused with the field or limit named, never shown as sent,
// and what strangers cost central stays bounded.
#include <gtest/gtest.h>

#include <zmq.h>

#include <climits>
#include <memory>
#include <zmq.hpp>

#include "common/event_codec.h"
#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"
#include "tests/support/http_probe.h"
#include "tests/support/wire_client.h"

namespace storepulse::test_support {
namespace {

namespace wire = common::wire;

nlohmann::json Fleet(Chain& chain) {
  return GetJson(chain.central().http_port(), "/api/v1/fleet").value_or(nlohmann::json::object());
}

wire::Heartbeat SaneBeat() {
  wire::Heartbeat beat;
  beat.clock_ms = NowMs();
  beat.last_seq = 10;
  beat.backlog_events = 3;
  beat.backlog_value = 300;
  beat.oldest_unsent_age_ms = 2000;
  beat.disk_free_bytes = int64_t{1} << 33;
  beat.version = "test";
  return beat;
}

// Sends `beat`; "" when central answered with a heartbeat.
std::string Answer(WireClient& client, const wire::Heartbeat& beat) {
  client.Send(beat);
  auto reply = client.Receive();
  if (!reply) return "no answer";
  if (auto* error = std::get_if<wire::Error>(&*reply)) return error->code + ": " + error->message;
  return "";
}

// The detail of central's n-th `malformed` refusal of store PAR1, once it is counted.
std::string NthMalformed(Chain& chain, int n) {
  std::string detail;
  WaitUntil([&] {
    const nlohmann::json fleet = Fleet(chain);
    for (const auto& refusal : fleet["refusals"]) {
      if (refusal["reason"] == "malformed" && refusal["store"] == "PAR1" && refusal["count"] == n) {
        detail = refusal["detail"];
        return true;
      }
    }
    return false;
  });
  return detail;
}

// An absurd heartbeat is counted and never shown, but not answered with an error: an edge whose
// clock went wrong must keep streaming (an error would stop it).
TEST(ReplicationInputTest, AbsurdHeartbeatsAreCountedWithTheFieldNamedAndNotShown) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartCentral());
  WireClient client = chain.Wire(0);
  client.Send(wire::Hello{"PAR1", "inc-1", 10, "test"});
  ASSERT_TRUE(client.Receive());
  ASSERT_EQ(Answer(client, SaneBeat()), "");

  wire::Heartbeat negative = SaneBeat();
  negative.backlog_events = -5;
  client.Send(negative);
  EXPECT_NE(NthMalformed(chain, 1).find("heartbeat field 'backlog_events'"), std::string::npos);
  wire::Heartbeat far_clock = SaneBeat();
  far_clock.clock_ms = INT64_MAX;
  client.Send(far_clock);
  EXPECT_NE(NthMalformed(chain, 2).find("heartbeat field 'clock'"), std::string::npos);
  wire::Heartbeat far_past = SaneBeat();
  far_past.clock_ms = INT64_MIN;
  client.Send(far_past);
  EXPECT_NE(NthMalformed(chain, 3).find("heartbeat field 'clock'"), std::string::npos);
  wire::Heartbeat huge_version = SaneBeat();
  huge_version.version = std::string(100'000, 'v');
  client.Send(huge_version);
  EXPECT_NE(NthMalformed(chain, 4).find("heartbeat field 'version'"), std::string::npos);
  ASSERT_EQ(Answer(client, SaneBeat()), "");  // nothing was answered in between

  nlohmann::json row = Fleet(chain)["stores"][0];
  EXPECT_EQ(row["backlog_events"], 3);  // the last sane heartbeat, not the absurd ones
  EXPECT_EQ(row["version"], "test");
  EXPECT_LE(std::abs(row["clock_skew_s"].get<int64_t>()), 60);
}

// Each edge may report a backlog up to INT64_MAX; their sum does not fit. The fleet shows it as
// null and /metrics leaves the gauge out: neither answers an error.
TEST(ReplicationInputTest, BacklogsWhoseSumDoesNotFitLeaveTheFleetAndMetricsAnswering) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}, {"NYC1", "america", "America/New_York"}});
  ASSERT_TRUE(chain.StartCentral());
  std::vector<std::unique_ptr<WireClient>> clients;
  for (size_t i = 0; i < 2; ++i) {
    clients.push_back(std::make_unique<WireClient>(chain.Wire(i)));
    clients[i]->Send(wire::Hello{chain.spec(i).store, "inc-1", 10, "test"});
    ASSERT_TRUE(clients[i]->Receive());
    wire::Heartbeat beat = SaneBeat();
    beat.backlog_events = INT64_MAX;
    ASSERT_EQ(Answer(*clients[i], beat), "");
  }
  nlohmann::json summary = Fleet(chain)["summary"];
  EXPECT_TRUE(summary["backlog_events"].is_null()) << summary.dump();
  auto metrics = HttpGet("127.0.0.1", chain.central().http_port(), "/metrics");
  ASSERT_TRUE(metrics.has_value());
  EXPECT_EQ(metrics->status, 200) << metrics->body;
  EXPECT_EQ(metrics->body.find("storepulse_central_backlog_events "), std::string::npos);
  EXPECT_NE(metrics->body.find("storepulse_central_stores_online 2"), std::string::npos)
      << metrics->body;
}

TEST(ReplicationInputTest, ABinaryIncarnationOrANegativeSeqIsRefusedAndTheFleetStillAnswers) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartCentral());
  WireClient client = chain.Wire(0);
  client.Send(wire::Hello{"PAR1", "\xff\xfe", 10, "test"});
  auto refused = client.Receive();
  ASSERT_TRUE(refused && std::holds_alternative<wire::Error>(*refused));
  EXPECT_NE(std::get<wire::Error>(*refused).message.find("hello field 'incarnation'"),
            std::string::npos);
  auto fleet = GetJson(chain.central().http_port(), "/api/v1/fleet");
  ASSERT_TRUE(fleet.has_value()) << "the fleet page broke on what an edge sent";

  client.Send(wire::Hello{"PAR1", "inc-1", 10, "test"});
  ASSERT_TRUE(client.Receive());
  client.Send(wire::Batch{"inc-1", -5, {common::EncodeStored(Sale("neg", 1, 100))}});
  refused = client.Receive();
  ASSERT_TRUE(refused && std::holds_alternative<wire::Error>(*refused));
  EXPECT_EQ(std::get<wire::Error>(*refused).code, "malformed");
  EXPECT_NE(std::get<wire::Error>(*refused).message.find("batch field 'first_seq'"),
            std::string::npos);
  EXPECT_EQ(Fleet(chain)["summary"].value("stream_rollbacks", -1), 0);  // not a rollback
}

TEST(ReplicationInputTest, AReplicatedEventTooFarAheadIsRefusedWithTheLimitCentralApplies) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartCentral());
  WireClient client = chain.Wire(0);
  client.Send(wire::Hello{"PAR1", "inc-1", 2, "test"});
  ASSERT_TRUE(client.Receive());
  constexpr int64_t kDay = 24LL * 3600 * 1000;
  // Two days ahead: an edge whose clock runs a day fast; central allows a week of skew.
  client.Send(wire::Batch{"inc-1", 1, {common::EncodeStored(Sale("skewed", 1, 100,
                                                                 common::Channel::kStore,
                                                                 NowMs() + 2 * kDay))}});
  auto ack = client.Receive();
  ASSERT_TRUE(ack && std::holds_alternative<wire::Ack>(*ack));
  // Eight days and an hour ahead is beyond it, and the refusal says what the limit is.
  client.Send(wire::Batch{"inc-1", 2, {common::EncodeStored(Sale("future", 1, 100,
                                                                 common::Channel::kStore,
                                                                 NowMs() + 8 * kDay + 3'600'000))}});
  auto refused = client.Receive();
  ASSERT_TRUE(refused && std::holds_alternative<wire::Error>(*refused));
  const std::string& message = std::get<wire::Error>(*refused).message;
  EXPECT_NE(message.find("at most 24 h ahead of the sender's clock"), std::string::npos) << message;
  EXPECT_NE(message.find("at most 8 days ahead of this node's clock"), std::string::npos)
      << message;
}

TEST(ReplicationInputTest, AFloodOfUnknownKeysKeepsCentralsRefusalsBounded) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartCentral());
  constexpr int kKeys = 3000, kAtOnce = 250;
  zmq::context_t context;
  for (int sent = 0; sent < kKeys; sent += kAtOnce) {
    std::vector<zmq::socket_t> sockets;
    for (int i = 0; i < kAtOnce; ++i) {
      char public_key[41], secret_key[41];
      ASSERT_EQ(zmq_curve_keypair(public_key, secret_key), 0);
      zmq::socket_t& socket = sockets.emplace_back(context, zmq::socket_type::dealer);
      socket.set(zmq::sockopt::curve_serverkey, chain.central_keys().public_key);
      socket.set(zmq::sockopt::curve_publickey, public_key);
      socket.set(zmq::sockopt::curve_secretkey, secret_key);
      socket.set(zmq::sockopt::linger, 0);
      socket.connect(chain.central().endpoint());
    }
    ASSERT_TRUE(WaitUntil([&] {
      return Fleet(chain)["summary"].value("refusals", 0) >= sent + kAtOnce;
    })) << Fleet(chain)["summary"].dump();
  }
  nlohmann::json fleet = Fleet(chain);
  EXPECT_GE(fleet["summary"]["refusals"].get<int>(), kKeys);  // every one counted…
  EXPECT_LE(fleet["refusals"].size(), 101u);                  // …in at most 101 rows
  EXPECT_LT(fleet.dump().size(), 64u * 1024);
  std::string log = chain.central().Log();
  size_t lines = 0;
  for (size_t at = log.find("unknown_key"); at != std::string::npos;
       at = log.find("unknown_key", at + 1)) {
    ++lines;
  }
  EXPECT_LE(lines, 2u) << "central logged a line per stranger";
}

}  // namespace
}  // namespace storepulse::test_support
