#include "common/http/bearer_token.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

namespace storepulse::common {
namespace {

void Digest(std::string_view text, unsigned char out[SHA256_DIGEST_LENGTH]) {
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), out);
}

}  // namespace

bool BearerTokenMatches(std::string_view authorization, const std::string& token) {
  constexpr std::string_view kScheme = "Bearer ";
  if (token.empty()) return false;
  const std::string_view given = authorization.substr(0, kScheme.size()) == kScheme
                                     ? authorization.substr(kScheme.size())
                                     : std::string_view();
  unsigned char a[SHA256_DIGEST_LENGTH];
  unsigned char b[SHA256_DIGEST_LENGTH];
  Digest(given, a);
  Digest(token, b);
  return CRYPTO_memcmp(a, b, sizeof a) == 0 && !given.empty();
}

}  // namespace storepulse::common
