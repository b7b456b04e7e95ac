#include <gtest/gtest.h>

#include <msgpack.hpp>
#include <random>

#include "common/protocol/message_rules.h"
#include "common/protocol/messages.h"

namespace storepulse::common::wire {
namespace {

template <typename T>
T RoundTrip(const T& message) {
  auto decoded = Decode(Encode(message));
  EXPECT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_TRUE(std::holds_alternative<T>(*decoded));
  return std::get<T>(*decoded);
}

TEST(ProtocolTest, EveryMessageSurvivesARoundTrip) {
  Hello hello = RoundTrip(Hello{"S1", "abc", 42, "0.1.0"});
  EXPECT_EQ(hello.store, "S1");
  EXPECT_EQ(hello.last_seq, 42);
  EXPECT_EQ(RoundTrip(Welcome{"abc", 40, 1700, {}}).acked_seq, 40);
  Batch batch = RoundTrip(Batch{"abc", 41, {std::string("\x00\x01", 2), "xyz"}});
  EXPECT_EQ(batch.first_seq, 41);
  EXPECT_EQ(batch.events, (std::vector<std::string>{std::string("\x00\x01", 2), "xyz"}));
  EXPECT_EQ(RoundTrip(Ack{"abc", 43}).acked_seq, 43);
  Heartbeat beat{1, 2, 3, 4, 5, 6, 7, false, "v", {}, {}};
  Heartbeat back = RoundTrip(beat);
  EXPECT_EQ(back.backlog_value, 5);
  EXPECT_EQ(back.disk_accepting, false);
  EXPECT_EQ(RoundTrip(Error{"gap", "m", "abc", 9}).code, "gap");
}

// Retention: a batch after a pruned prefix says so; any other batch keeps version 1's three fields.
TEST(ProtocolTest, ABatchCarriesWhatTheEdgePrunedOnlyWhenItPrunedSomething) {
  Batch after_pruning = RoundTrip(Batch{"abc", 41, {"e"}, 40});
  EXPECT_EQ(after_pruning.pruned_to, 40);
  EXPECT_EQ(RoundTrip(Batch{"abc", 41, {"e"}}).pruned_to, 0);
  EXPECT_EQ(Encode(Batch{"abc", 41, {"e"}, 0})[0], '\x95');  // [version, type, 3 fields]
  EXPECT_EQ(Encode(Batch{"abc", 41, {"e"}, 40})[0], '\x96');
  EXPECT_TRUE(CheckBatch(Batch{"abc", 41, {"e"}, 40}).ok());
  Status at_first = CheckBatch(Batch{"abc", 41, {"e"}, 41});
  ASSERT_FALSE(at_first.ok());
  EXPECT_NE(at_first.message().find("pruned_to"), std::string::npos) << at_first.message();
  EXPECT_FALSE(CheckBatch(Batch{"abc", 41, {"e"}, -1}).ok());
}

// Source health: the silent sources ride as an optional 10th field, after the nine every version-1
// central reads; a heartbeat with none is byte for byte the older one.
TEST(ProtocolTest, AHeartbeatCarriesSilentSourcesOnlyWhenThereAreSome) {
  const Heartbeat quiet{1'800'000'000'000, 2, 3, 4, 5, 6, 7, true, "v", {}, {}};
  Heartbeat loud = quiet;
  loud.silent_sources = {{"counter", "door 2", 1'799'999'000'000, 1'799'999'600'000},
                         {"till", "3", 1'799'998'000'000, 1'799'998'900'000}};
  EXPECT_EQ(RoundTrip(loud).silent_sources, loud.silent_sources);
  EXPECT_TRUE(RoundTrip(quiet).silent_sources.empty());
  const std::string old_shape = Encode(quiet), new_shape = Encode(loud);
  EXPECT_EQ(old_shape[0], '\x9b');  // [version, type, 9 fields]: what older edges send
  EXPECT_EQ(new_shape[0], '\x9c');
  // The nine fields come first, unchanged: an older central (which reads the first nine fields of
  // an array of at least eleven) reads the same figures and ignores the sources.
  EXPECT_EQ(new_shape.substr(1, old_shape.size() - 1), old_shape.substr(1));
  // And a later edge's further field (after the documents) is ignored here the same way.
  Heartbeat with_documents = loud;
  with_documents.documents = std::map<std::string, std::string>{};
  std::string later = Encode(with_documents);
  ASSERT_EQ(later[0], '\x9d');  // [version, type, 11 fields]
  later[0] = '\x9e';
  later += '\xc0';  // nil
  auto decoded = Decode(later);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(std::get<Heartbeat>(*decoded).silent_sources, loud.silent_sources);
  EXPECT_TRUE(CheckHeartbeat(loud).ok());
}

// Reference documents: the versions an edge holds ride as an optional 11th field, which then
// brings the 10th (silent sources) even when empty; without it the heartbeat is unchanged.
TEST(ProtocolTest, AHeartbeatSaysWhichDocumentsTheEdgeHoldsOnlyWhenItTakesThem) {
  const Heartbeat quiet{1'800'000'000'000, 2, 3, 4, 5, 6, 7, true, "v", {}, {}};
  EXPECT_FALSE(RoundTrip(quiet).documents.has_value());
  Heartbeat taking = quiet;
  taking.documents = std::map<std::string, std::string>{};
  const std::string none_held = Encode(taking);
  EXPECT_EQ(none_held[0], '\x9d');  // 11 fields: an empty list of sources, an empty map
  Heartbeat back = RoundTrip(taking);
  ASSERT_TRUE(back.documents.has_value());
  EXPECT_TRUE(back.documents->empty());
  EXPECT_TRUE(back.silent_sources.empty());
  taking.documents = std::map<std::string, std::string>{{"catalogue", "0123456789abcdef"}};
  EXPECT_EQ(RoundTrip(taking).documents, taking.documents);
  EXPECT_TRUE(CheckHeartbeat(taking).ok());
  // The first nine fields are those an older central reads.
  const std::string old_shape = Encode(quiet);
  EXPECT_EQ(none_held.substr(1, old_shape.size() - 1), old_shape.substr(1));
  Heartbeat bad = quiet;
  bad.documents = std::map<std::string, std::string>{{"catalogue", "v1"}};
  EXPECT_NE(CheckHeartbeat(bad).message().find("'documents.version'"), std::string::npos);
  bad.documents = std::map<std::string, std::string>{{"Cat!", "0123456789abcdef"}};
  EXPECT_NE(CheckHeartbeat(bad).message().find("'kind'"), std::string::npos);
}

TEST(ProtocolTest, DocumentsAndTheirAcksSurviveARoundTrip) {
  const Document part{"catalogue",
                      "0123456789abcdef",
                      "fedcba9876543210",
                      3,
                      true,
                      {{"SKU1", R"({"name":"Apple"})"}, {"SKU2", "2"}},
                      {"SKU3"}};
  const Document back = RoundTrip(part);
  EXPECT_EQ(back.kind, "catalogue");
  EXPECT_EQ(back.version, part.version);
  EXPECT_EQ(back.base_version, part.base_version);
  EXPECT_EQ(back.part, 3);
  EXPECT_TRUE(back.last);
  EXPECT_EQ(back.rows, part.rows);
  EXPECT_EQ(back.removals, part.removals);
  EXPECT_TRUE(CheckDocument(part).ok());
  const DocumentAck ack = RoundTrip(DocumentAck{"catalogue", "0123456789abcdef", ""});
  EXPECT_EQ(ack.version, "0123456789abcdef");
  EXPECT_TRUE(CheckDocumentAck(ack).ok());
  EXPECT_EQ(RoundTrip(StockRequest{7, "SKU1"}).sku, "SKU1");
  const StockAnswer answer = RoundTrip(StockAnswer{7, 200, R"({"sku":"SKU1"})"});
  EXPECT_EQ(answer.request_id, 7);
  EXPECT_EQ(answer.body, R"({"sku":"SKU1"})");
}

TEST(ProtocolTest, BadDocumentsAreRefusedWithTheFieldNamed) {
  const Document good{"catalogue", "0123456789abcdef", "", 0, true, {{"A", "1"}}, {}};
  auto refusal = [](const Document& d) { return CheckDocument(d).message(); };
  Document d = good;
  d.kind = "";
  EXPECT_NE(refusal(d).find("'kind'"), std::string::npos);
  d = good;
  d.version = "0123456789ABCDEF";
  EXPECT_NE(refusal(d).find("'version'"), std::string::npos);
  d = good;
  d.base_version = "x";
  EXPECT_NE(refusal(d).find("'base_version'"), std::string::npos);
  d = good;
  d.part = -1;
  EXPECT_NE(refusal(d).find("'part'"), std::string::npos);
  d = good;
  d.rows.assign(kMaxDocumentPartRows + 1, {"A", "1"});
  EXPECT_NE(refusal(d).find("'rows'"), std::string::npos);
  d = good;
  d.removals = {"A"};  // in a snapshot
  EXPECT_NE(refusal(d).find("'removals'"), std::string::npos);
  d = good;
  d.rows = {{std::string(257, 'k'), "1"}};
  EXPECT_NE(refusal(d).find("'key'"), std::string::npos);
  EXPECT_NE(CheckDocumentAck({"catalogue", "nope", ""}).message().find("'version'"),
            std::string::npos);
  EXPECT_NE(CheckStockRequest({0, "A"}).message().find("'request_id'"), std::string::npos);
  EXPECT_NE(CheckStockRequest({1, ""}).message().find("'sku'"), std::string::npos);
  EXPECT_NE(CheckStockAnswer({1, 42, ""}).message().find("'status'"), std::string::npos);
  // Rows must be key, value pairs: an odd array is malformed.
  std::string odd = Encode(good);
  EXPECT_TRUE(Decode(odd).ok());
  // [1, 10, kind, version, base, part, last, [k, v], []] → cut the value out of the pairs.
  const std::string pairs = std::string(
      "\x92\xa1"
      "A"
      "\xa1"
      "1",
      5);
  const size_t at = odd.find(pairs);
  ASSERT_NE(at, std::string::npos);
  odd.replace(at, pairs.size(),
              std::string("\x91\xa1"
                          "A",
                          3));
  EXPECT_FALSE(Decode(odd).ok());
}

TEST(ProtocolTest, AbsurdSilentSourcesAreRefusedWithTheFieldNamed) {
  const Heartbeat base{1'800'000'000'000, 2, 3, 4, 5, 6, 7, true, "v", {}, {}};
  auto refusal = [&](SilentSource source) {
    Heartbeat beat = base;
    beat.silent_sources = {std::move(source)};
    Status status = CheckHeartbeat(beat);
    return status.ok() ? std::string() : status.message();
  };
  EXPECT_NE(refusal({"Till!", "3", 1'799'999'000'000, 1'799'999'000'000}).find("kind"),
            std::string::npos);
  EXPECT_NE(refusal({"till", "", 1'799'999'000'000, 1'799'999'000'000}).find("id"),
            std::string::npos);
  EXPECT_NE(refusal({"till", std::string(257, 'x'), 1'799'999'000'000, 1'799'999'000'000})
                .find("id"),
            std::string::npos);
  EXPECT_NE(refusal({"till", "3", 5, 6}).find("last_seen_ms"), std::string::npos);
  EXPECT_NE(refusal({"till", "3", 1'799'999'000'000, 1'799'998'000'000}).find("silent_since_ms"),
            std::string::npos);
  Heartbeat crowded = base;
  crowded.silent_sources.assign(1001, {"till", "3", 1'799'999'000'000, 1'799'999'000'000});
  EXPECT_FALSE(CheckHeartbeat(crowded).ok());
  // A 10th field that is not a list of sources is a malformed heartbeat.
  std::string bad = Encode(base);
  bad[0] = '\x9c';
  bad += '\x05';
  EXPECT_FALSE(Decode(bad).ok());
}

TEST(ProtocolTest, ForeignVersionsAndShapesAreRefusedWithReasons) {
  auto version = Decode(std::string("\x93\x02\x01\xa1x", 5));
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(version.status().message().find("version 2"), std::string::npos);
  EXPECT_FALSE(Decode("").ok());
  EXPECT_FALSE(Decode(std::string("\x92\x01\x09", 3)).ok());  // unknown type 9
  EXPECT_FALSE(Decode(std::string("\x93\x01\x01\x05", 4)).ok());  // hello missing fields
}

TEST(ProtocolTest, ABatchOfMoreEventsThanTheLimitIsRefusedBeforeItIsBuilt) {
  Batch full{"abc", 1, std::vector<std::string>(10'000, "e")};
  EXPECT_TRUE(Decode(Encode(full)).ok());
  Batch over{"abc", 1, std::vector<std::string>(10'001, "e")};
  EXPECT_FALSE(Decode(Encode(over)).ok());
}

TEST(ProtocolTest, RandomBytesNeverCrashTheDecoder) {
  std::mt19937 random(7);
  std::string valid = Encode(Batch{"abc", 1, {"e1", "e2"}});
  for (int i = 0; i < 5000; ++i) {
    std::string bytes = valid;
    for (int flips = 0; flips < 3; ++flips) bytes[random() % bytes.size()] = char(random());
    if (i % 2) bytes.resize(random() % bytes.size());
    (void)Decode(bytes);  // must return, OK or not
  }
  SUCCEED();
}

// Day sign-off (docs/PROTOCOL.md): the three messages, and the welcome's capabilities.
TEST(ProtocolTest, TheDaySignoffMessagesSurviveARoundTrip) {
  const std::string hash(64, 'a');
  DayCertificate certificate =
      RoundTrip(DayCertificate{"2026-12-01", 3, {{"gross_sales", 3399}, {"returns", -0}}, hash});
  EXPECT_EQ(certificate.day, "2026-12-01");
  EXPECT_EQ(certificate.events, 3);
  EXPECT_EQ(certificate.totals,
            (std::map<std::string, int64_t>{{"gross_sales", 3399}, {"returns", 0}}));
  EXPECT_EQ(certificate.ids_hash, hash);
  DayVerdict verdict = RoundTrip(DayVerdict{"2026-12-01", "resend", "events: edge 3, central 2"});
  EXPECT_EQ(verdict.verdict, "resend");
  EXPECT_EQ(verdict.detail, "events: edge 3, central 2");
  DayEvents events = RoundTrip(DayEvents{"day-20261201-1", "2026-12-01", 2001, {"x", "y"}});
  EXPECT_EQ(events.tag, "day-20261201-1");
  EXPECT_EQ(events.first_seq, 2001);
  EXPECT_EQ(events.events, (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(CheckDayCertificate(certificate).ok());
  EXPECT_TRUE(CheckDayVerdict(verdict).ok());
  EXPECT_TRUE(CheckDayEvents(events).ok());
}

// A central without the capability sends the 3-field welcome of every version-1 edge; one with it
// adds a 4th field, which an older edge (reading 3) ignores.
TEST(ProtocolTest, OnlyACentralThatCertifiesDaysSaysSoInItsWelcome) {
  Welcome plain{"abc", 40, 1700, {}};
  EXPECT_TRUE(RoundTrip(plain).capabilities.empty());
  Welcome certifying{"abc", 40, 1700, {std::string(kCapabilityDayCertificates)}};
  EXPECT_EQ(RoundTrip(certifying).capabilities, (std::vector<std::string>{"day_certificates"}));
  EXPECT_LT(Encode(plain).size(), Encode(certifying).size());
  // The 3-field prefix is the same bytes but for the array header: what an old edge reads.
  EXPECT_EQ(Encode(plain).substr(1), Encode(certifying).substr(1, Encode(plain).size() - 1));
}

TEST(ProtocolTest, AbsurdDaySignoffMessagesAreRefusedWithTheFieldNamed) {
  const std::string hash(64, 'f');
  EXPECT_NE(CheckDayCertificate({"2026-13-01", 1, {}, hash}).message().find("'day'"),
            std::string::npos);
  EXPECT_NE(CheckDayCertificate({"2026-12-01", -1, {}, hash}).message().find("'events'"),
            std::string::npos);
  EXPECT_NE(
      CheckDayCertificate({"2026-12-01", 1, {{"Gross Sales", 1}}, hash}).message().find("'totals'"),
      std::string::npos);
  EXPECT_NE(CheckDayCertificate({"2026-12-01", 1, {}, "ABC"}).message().find("'ids_hash'"),
            std::string::npos);
  EXPECT_NE(CheckDayVerdict({"2026-12-01", "maybe", ""}).message().find("'verdict'"),
            std::string::npos);
  EXPECT_NE(CheckDayEvents({"day/../x", "2026-12-01", 1, {}}).message().find("'incarnation'"),
            std::string::npos);
  EXPECT_NE(CheckDayEvents({"day-1", "2026-12-01", 0, {}}).message().find("'first_seq'"),
            std::string::npos);
  // A totals map naming a measure twice is not a certificate.
  std::string bytes;
  {
    msgpack::sbuffer buffer;
    msgpack::packer<msgpack::sbuffer> p(buffer);
    p.pack_array(6);
    p.pack(int64_t{1}).pack(int64_t{7}).pack(std::string("2026-12-01")).pack(int64_t{1});
    p.pack_map(2);
    p.pack(std::string("returns")).pack(int64_t{1});
    p.pack(std::string("returns")).pack(int64_t{2});
    p.pack(hash);
    bytes.assign(buffer.data(), buffer.size());
  }
  EXPECT_FALSE(Decode(bytes).ok());
}

}  // namespace
}  // namespace storepulse::common::wire
