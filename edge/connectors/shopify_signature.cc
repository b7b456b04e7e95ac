#include "edge/connectors/shopify_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace storepulse::edge {

std::string ShopifySignature(std::string_view secret, std::string_view body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &mac_length);
  std::string encoded(4 * ((mac_length + 2) / 3) + 1, '\0');
  const int length =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()), mac, mac_length);
  encoded.resize(static_cast<size_t>(length));
  return encoded;
}

bool ShopifySignatureMatches(std::string_view secret, std::string_view body,
                             std::string_view signature) {
  const std::string expected = ShopifySignature(secret, body);
  return signature.size() == expected.size() &&
         CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) == 0;
}

}  // namespace storepulse::edge
