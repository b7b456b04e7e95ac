#include "edge/link_diagnosis.h"

#include <gtest/gtest.h>

namespace storepulse::edge {
namespace {

TEST(LinkDiagnosisTest, AHandshakeThatRanOutItsTimeIsACentralProblemNotAKeyProblem) {
  std::string stuck = HandshakeFailedMessage(9'000, 10'000, "tcp://central:7600");
  EXPECT_EQ(stuck,
            "central at tcp://central:7600 accepted the connection but did not answer the CURVE "
            "handshake within 10 s: is storepulse-central running and responsive (not stopped or "
            "overloaded)?");
  std::string cut_short = HandshakeFailedMessage(8'999, 10'000, "tcp://central:7600");
  EXPECT_NE(cut_short.find("check --central-public-key"), std::string::npos) << cut_short;
  EXPECT_NE(HandshakeFailedMessage(0, 10'000, "e").find("closed the connection at once"),
            std::string::npos);
}

TEST(LinkDiagnosisTest, HandshakeDiagnosesAreNotHiddenByReconnectionAttempts) {
  EXPECT_TRUE(IsHandshakeDiagnosis(KeyRefusedMessage(400, "S042")));
  EXPECT_TRUE(IsHandshakeDiagnosis(HandshakeFailedMessage(10'000, 10'000, "e")));
  EXPECT_TRUE(IsHandshakeDiagnosis(HandshakeFailedMessage(0, 10'000, "e")));
  EXPECT_TRUE(IsHandshakeDiagnosis(HandshakeProtocolMessage()));
  EXPECT_FALSE(IsHandshakeDiagnosis(UnreachableMessage("e")));
  EXPECT_FALSE(IsHandshakeDiagnosis(""));
  EXPECT_NE(KeyRefusedMessage(400, "S042").find("(ZAP status 400)"), std::string::npos);
}

}  // namespace
}  // namespace storepulse::edge
