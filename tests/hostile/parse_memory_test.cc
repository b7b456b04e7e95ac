// Hostile batch shapes against the real edge (issue 8, failure 5 and its siblings): a body of the
// maximum size (16 MiB) that nests deeply, or holds one element made of millions of tiny values,
// or millions of tiny JSON Lines, must get a clear answer while the edge's memory stays a small
// multiple of the body — never a parse tree of the whole body (once 656 MB for one deep body).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/event_limits.h"
#include "tests/hostile/ingest_probe.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

using common::kMaxBatchBytes;

constexpr int64_t kMiB = 1024 * 1024;
// The edge's peak RSS while it answers any of these bodies, several at once included: its
// steady state (~25 MiB) plus the bodies themselves, far below a parse tree of one of them.
constexpr int64_t kMaxPeakRssBytes = test_support::RssBound(150 * kMiB);
// Bodies answered at once in the parallel case. The HTTP server holds each body whole, and while
// it reads one its buffer briefly exists twice (a 15 MiB string growing to 16 MiB): up to ~31 MiB
// a body before any parsing, so three keep a margin under the bound that parsing must not use.
constexpr int kParallelBodies = 3;

// `[` + n × `[` + n × `]` + `]`: one element nested ~8 million levels deep, 16 MiB in all.
std::string DeepJsonArray() {
  const size_t n = kMaxBatchBytes / 2 - 1;
  return "[" + std::string(n, '[') + std::string(n, ']') + "]";
}

// One element holding millions of zeros: `[[0,0,…,0]]`, 16 MiB.
std::string WideJsonArray() {
  std::string body = "[[0";
  while (body.size() + 4 <= kMaxBatchBytes) body += ",0";
  return body + "]]";
}

// One object with a million distinct members: `[{"k0000000":0,…}]`, under 16 MiB.
std::string WideJsonObject() {
  std::string body = "[{";
  char member[32];
  for (int i = 0; body.size() + 32 < kMaxBatchBytes; ++i) {
    body.append(member, snprintf(member, sizeof member, "%s\"k%07d\":0", i ? "," : "", i));
  }
  return body + "}]";
}

// 8 Mi JSON Lines of one byte each: `0\n0\n…`.
std::string TinyJsonLines() {
  std::string body;
  body.reserve(kMaxBatchBytes);
  while (body.size() + 2 <= kMaxBatchBytes) body += "0\n";
  return body;
}

// msgpack: an array of one element that is an array of ~16 million zeros (one byte each).
std::string WideMsgpack() {
  const uint32_t n = kMaxBatchBytes - 6;
  std::string bytes = "\x91\xdd";
  for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<char>(n >> shift));
  return bytes + std::string(n, '\0');
}

// msgpack: arrays of one element nested 16 million levels deep.
std::string DeepMsgpack() { return std::string(kMaxBatchBytes - 1, '\x91') + "\xc0"; }

class ParseMemoryTest : public LoneEdgeTest<> {
 protected:
  // The one rejection of a 200 answer to a batch of one bad element.
  static std::string OnlyRejection(const PostReply& reply) {
    EXPECT_EQ(reply.status, 200) << reply.body.dump().substr(0, 300);
    EXPECT_EQ(reply.body.value("accepted", -1), 0);
    if (!reply.body.contains("rejected") || reply.body["rejected"].size() != 1) {
      ADD_FAILURE() << "expected one rejection: " << reply.body.dump().substr(0, 300);
      return "";
    }
    return reply.body["rejected"][0]["error"].get<std::string>();
  }

  void ExpectPeakRssBounded() {
    const int64_t peak = PeakRssBytes(edge_->pid());
    ASSERT_GT(peak, 0);
    EXPECT_LT(peak, kMaxPeakRssBytes) << "edge peak RSS " << peak / kMiB << " MiB";
    std::cout << "edge peak RSS: " << peak / kMiB << " MiB\n";
  }

};

TEST_F(ParseMemoryTest, DeepJsonNestingIsRefusedWhileParsing) {
  const std::string body = DeepJsonArray();
  ASSERT_EQ(body.size(), kMaxBatchBytes);
  const std::vector<PostReply> replies = PostInParallel(edge_->http_port(), {&body});
  EXPECT_EQ(OnlyRejection(replies[0]), "event nests deeper than 32 levels");
  ExpectPeakRssBounded();
}

TEST_F(ParseMemoryTest, SeveralDeepJsonBodiesAtOnceStayBounded) {
  const std::string body = DeepJsonArray();
  const std::vector<PostReply> replies =
      PostInParallel(edge_->http_port(), std::vector<const std::string*>(kParallelBodies, &body));
  for (const PostReply& reply : replies) {
    EXPECT_EQ(OnlyRejection(reply), "event nests deeper than 32 levels");
  }
  ExpectPeakRssBounded();
}

TEST_F(ParseMemoryTest, WideJsonElementsAreMeasuredNotBuilt) {
  const std::string array = WideJsonArray();
  const std::string object = WideJsonObject();
  const std::vector<PostReply> replies = PostInParallel(edge_->http_port(), {&array, &object});
  for (const PostReply& reply : replies) {
    const std::string error = OnlyRejection(reply);
    EXPECT_TRUE(error.starts_with("event is ")) << error;
    EXPECT_TRUE(error.ends_with(" bytes, over the 65536-byte limit")) << error;
  }
  ExpectPeakRssBounded();
}

TEST_F(ParseMemoryTest, MillionsOfTinyJsonLinesAreCountedNotStored) {
  const std::string body = TinyJsonLines();
  const std::vector<PostReply> replies = PostInParallel(edge_->http_port(), {&body});
  EXPECT_EQ(replies[0].status, 413);
  EXPECT_EQ(replies[0].body.value("error", ""),
            "batch has 8388608 events, over the 10000-event limit");
  ExpectPeakRssBounded();
}

TEST_F(ParseMemoryTest, WideMsgpackElementIsMeasuredNotBuilt) {
  const auto reply = ZmqRequest(edge_->ingest_endpoint(), WideMsgpack(), zmq::socket_type::dealer);
  ASSERT_TRUE(reply) << "no reply within the deadline";
  ASSERT_EQ((*reply)["rejected"].size(), 1u) << reply->dump().substr(0, 300);
  const std::string error = (*reply)["rejected"][0]["error"];
  EXPECT_TRUE(error.starts_with("event is ")) << error;
  EXPECT_TRUE(error.ends_with(" bytes, over the 65536-byte limit")) << error;
  ExpectPeakRssBounded();
}

TEST_F(ParseMemoryTest, DeepMsgpackNestingIsRefusedWhileParsing) {
  const auto reply = ZmqRequest(edge_->ingest_endpoint(), DeepMsgpack(), zmq::socket_type::dealer);
  ASSERT_TRUE(reply) << "no reply within the deadline";
  EXPECT_EQ((*reply)["accepted"], 0);
  EXPECT_NE(reply->value("error", "").find("deeper than 256 levels"), std::string::npos)
      << reply->dump();
  ExpectPeakRssBounded();
}

}  // namespace
}  // namespace storepulse::test_support
