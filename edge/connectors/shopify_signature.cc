#include "edge/connectors/shopify_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace storepulse::edge {

std::string ShopifySignature(std::string_view secret, std::string_view body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &digest_size);
  // 4 base64 characters per 3 bytes, padded, and the terminating NUL EVP_EncodeBlock writes.
  unsigned char text[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  int size = EVP_EncodeBlock(text, digest, static_cast<int>(digest_size));
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

common::Status VerifyShopifySignature(std::string_view secret, std::string_view body,
                                      std::string_view signature) {
  while (!signature.empty() && (signature.front() == ' ' || signature.front() == '\t')) {
    signature.remove_prefix(1);
  }
  while (!signature.empty() && (signature.back() == ' ' || signature.back() == '\t')) {
    signature.remove_suffix(1);
  }
  const std::string expected = ShopifySignature(secret, body);
  // The length of a valid signature is no secret (44 characters for SHA-256).
  if (signature.size() != expected.size() ||
      CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
    return common::PermissionDenied(
        "X-Shopify-Hmac-Sha256 does not match the body: not signed with the shared secret of "
        "--shopify-secret-file");
  }
  return common::OkStatus();
}

}  // namespace storepulse::edge
