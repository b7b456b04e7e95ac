// The rules of an HTTP interface that may face a LAN (common/config/http_security.h) and the
// bearer check (common/http/bearer_token.h), without a daemon: which listen addresses count as
// reachable from other machines, when plain HTTP is refused, and how a token is compared.
#include <gtest/gtest.h>

#include "common/config/http_security.h"
#include "common/http/bearer_token.h"

namespace storepulse::common {
namespace {

TEST(HttpSecurityTest, OnlyLoopbackAddressesCountAsThisMachineOnly) {
  for (const char* host : {"127.0.0.1", "127.0.1.1", "::1", "[::1]", "localhost"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "10.42.0.5", "192.168.1.20", "store-s042.example",
                           "128.0.0.1", "localhost.example"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

TEST(HttpSecurityTest, PlainHttpOffLoopbackNeedsTlsOrTheExplicitAllowance) {
  HttpSecurityConfig plain;
  EXPECT_TRUE(ValidateHttpSecurity(plain, "127.0.0.1:8601").ok());
  const Status refused = ValidateHttpSecurity(plain, "0.0.0.0:8601");
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("--http-listen 0.0.0.0:8601 can be reached from other "
                                   "machines"),
            std::string::npos)
      << refused.message();
  EXPECT_EQ(ValidateHttpSecurity(plain, "10.42.0.5:8601").code(), StatusCode::kInvalidArgument);

  HttpSecurityConfig allowed;
  allowed.allow_plain_http = true;
  EXPECT_TRUE(ValidateHttpSecurity(allowed, "0.0.0.0:8601").ok());
  HttpSecurityConfig tls;
  tls.tls_cert = "/etc/storepulse/edge.crt";
  tls.tls_key = "/etc/storepulse/edge-tls.key";
  EXPECT_TRUE(ValidateHttpSecurity(tls, "0.0.0.0:8601").ok());
  tls.tls_key.clear();
  EXPECT_EQ(ValidateHttpSecurity(tls, "127.0.0.1:8601").code(), StatusCode::kInvalidArgument);
}

TEST(HttpSecurityTest, AnOpenReadApiOffLoopbackIsWarnedAbout) {
  HttpSecurityConfig config;
  config.allow_plain_http = true;
  EXPECT_EQ(HttpExposureWarning(config, "127.0.0.1:8601"), "");
  EXPECT_NE(HttpExposureWarning(config, "0.0.0.0:8601").find("without --read-token-file"),
            std::string::npos);
  config.read_token_file = "/etc/storepulse/read.token";
  EXPECT_EQ(HttpExposureWarning(config, "0.0.0.0:8601"), "");
}

TEST(BearerTokenTest, MatchesOnlyTheWholeTokenAfterTheBearerScheme) {
  EXPECT_TRUE(BearerTokenMatches("Bearer s3cret", "s3cret"));
  EXPECT_FALSE(BearerTokenMatches("Bearer s3cre", "s3cret"));
  EXPECT_FALSE(BearerTokenMatches("Bearer s3cret2", "s3cret"));
  EXPECT_FALSE(BearerTokenMatches("bearer s3cret", "s3cret"));
  EXPECT_FALSE(BearerTokenMatches("Basic s3cret", "s3cret"));
  EXPECT_FALSE(BearerTokenMatches("s3cret", "s3cret"));
  EXPECT_FALSE(BearerTokenMatches("", "s3cret"));
  EXPECT_FALSE(BearerTokenMatches("Bearer ", ""));  // no token set: nothing matches
}

}  // namespace
}  // namespace storepulse::common
